import { useSession } from '../auth/session.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { DataTable, orDash } from '../ui/data-table.js';
import { may } from '../ui/permissions.js';
import { documentsApi, type TidingsDocument } from './documents.api.js';
import { formatSize } from './documents-format.js';

/** Every version, newest first (as the server lists them): each can be downloaded, and an older one restored as a new version. */
export function DocumentVersions({
  document,
  onChanged,
}: {
  document: TidingsDocument;
  onChanged: () => Promise<void>;
}) {
  const { user } = useSession();
  const canRestore = user !== null && may(user, 'documents.write');
  const lockedByOther = document.lock !== null && document.lock.by.id !== user?.id;
  return (
    <section className="card" aria-labelledby="document-versions">
      <h2 id="document-versions">Versions</h2>
      <DataTable
        label="Versions"
        compact
        rows={document.versions}
        rowKey={(version) => version.label}
        columns={(column) => [
          { header: 'Version', className: 'strong nowrap', cell: (version) => version.label },
          { header: 'What changed', cell: (version) => orDash(version.comment) },
          {
            header: 'File',
            cell: (version) => (
              <>
                {version.filename}
                <div className="muted cell-note">{formatSize(version.size)}</div>
              </>
            ),
          },
          { header: 'By', cell: (version) => version.createdBy?.name ?? 'Tidings' },
          column.date('When', (version) => version.createdAt),
          column.actions((version) => (
            <>
              <a
                className="button button-small"
                href={documentsApi.contentPath(document.id, version.label, true)}
                download={version.filename}
                aria-label={`Download version ${version.label}`}
              >
                Download
              </a>
              {canRestore && version.label !== document.currentVersion.label && (
                <ConfirmButton
                  label="Restore"
                  question={`Restore version ${version.label}?`}
                  consequence={`Its content becomes a new version after ${document.currentVersion.label}; nothing is lost.`}
                  disabledReason={lockedByOther ? `Checked out by ${document.lock?.by.name}` : undefined}
                  onConfirm={async () => {
                    await documentsApi.restore(document.id, version.label);
                    await onChanged();
                  }}
                />
              )}
            </>
          )),
        ]}
      />
    </section>
  );
}
