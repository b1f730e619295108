import { useEffect, useRef, useState, type RefObject } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { orDash } from '../ui/data-table.js';
import { Facts } from '../ui/facts.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { may } from '../ui/permissions.js';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../ui/use-api-data.js';
import { DocumentDetailsDialog } from './document-details-dialog.js';
import { CommentsPanel } from '../comments/comments-panel.js';
import { DocumentLinks } from './document-links.js';
import { ContentActions } from './document-lock.js';
import { DocumentVersions } from './document-versions.js';
import { documentsApi, type Folder, type TidingsDocument } from './documents.api.js';
import { formatSize, lockText, previewOf } from './documents-format.js';
import type { Uploaded } from './folder-dialogs.js';
import { PermissionsDialog } from './permissions-dialog.js';
import { DocumentReviewSection } from './review/document-review.js';
import { DocumentMetadata } from './types/document-metadata.js';
import { DocumentRecordSection } from '../records/document-record-section.js';
import { DocumentTextSection } from '../search/document-text-section.js';
import { VersionCompare } from '../search/version-compare.js';

/**
 * Gives the keyboard focus back to an open modal dialog when the preview's frame takes it: Chromium's
 * PDF viewer takes the focus about half a second after it has loaded, even from a dialog's text box,
 * and neither `tabIndex={-1}` nor `inert` on the frame stops it. Behind a modal dialog the page is
 * inert, so no person moved the focus there; without a dialog the frame keeps it.
 */
function useFocusKeptInDialogs(frame: RefObject<HTMLIFrameElement | null>) {
  useEffect(() => {
    let left: Element | null = null;
    const noteLeft = (event: FocusEvent) => {
      left = event.target as Element;
    };
    const takeBack = () => {
      const dialog = window.document.querySelector('dialog:modal');
      const back = left;
      if (window.document.activeElement !== frame.current || !dialog || !(back instanceof HTMLElement)) return;
      // Given back within this blur, the focus stays with the frame; a moment later, it returns.
      if (dialog.contains(back)) setTimeout(() => back.focus(), 0);
    };
    window.document.addEventListener('focusout', noteLeft);
    window.addEventListener('blur', takeBack);
    return () => {
      window.document.removeEventListener('focusout', noteLeft);
      window.removeEventListener('blur', takeBack);
    };
  }, [frame]);
}

/** The current version as the browser shows it: PDF in a frame, images as pictures, else a download. */
function Preview({ document }: { document: TidingsDocument }) {
  const { currentVersion: current } = document;
  const src = documentsApi.contentPath(document.id, current.label);
  const kind = previewOf(current.mediaType);
  const frame = useRef<HTMLIFrameElement>(null);
  useFocusKeptInDialogs(frame);
  return (
    <section className="card documents-preview" aria-label="Preview">
      {kind === 'pdf' && <iframe ref={frame} title={`Preview of ${document.title}`} src={src} />}
      {kind === 'image' && <img src={src} alt={`Preview of ${document.title}`} />}
      {kind === null && (
        <Empty title="No preview for this kind of file">
          {current.mediaType}: <a href={documentsApi.contentPath(document.id, current.label, true)}>download it</a>.
        </Empty>
      )}
    </section>
  );
}

function DocumentView({ document, folders }: { document: TidingsDocument; folders: readonly Folder[] }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const uploaded = useLocation().state as Uploaded | null;
  const [editing, setEditing] = useState(false);
  const [permissions, setPermissions] = useState(false);
  const refresh = () => invalidate('/api/documents', documentsApi.foldersPath);
  const folder = folders.find((candidate) => candidate.id === document.folderId);
  const { currentVersion: current } = document;
  return (
    <>
      <PageHeader
        title={document.title}
        description={`Version ${current.label} · ${current.filename} · ${formatSize(current.size)}`}
        actions={
          <>
            <a className="button" href={documentsApi.contentPath(document.id, current.label, true)} download>
              Download
            </a>
            {user && may(user, 'documents.write') && (
              <button type="button" className="button" onClick={() => setEditing(true)}>
                Edit details
              </button>
            )}
            <ContentActions document={document} onChanged={refresh} />
            <button type="button" className="button" onClick={() => setPermissions(true)}>
              Permissions
            </button>
            {user && may(user, 'documents.manage') && (
              <ConfirmButton
                label="Delete"
                question={`Delete “${document.title}”?`}
                consequence="It leaves every folder and list; the audit trail keeps what happened."
                danger
                onConfirm={async () => {
                  await documentsApi.remove(document.id);
                  await refresh();
                  navigate(`/documents?folder=${encodeURIComponent(document.folderId)}`);
                }}
              />
            )}
          </>
        }
      />
      {document.lock && <Notice tone="info">{lockText(document.lock)}</Notice>}
      {uploaded && uploaded.duplicates.length > 0 && (
        <Notice tone="info">
          The same file is already stored as{' '}
          {uploaded.duplicates.map((duplicate, index) => (
            <span key={duplicate.id}>
              {index > 0 && ', '}
              <Link to={`/documents/${duplicate.id}`}>{duplicate.title}</Link>
            </span>
          ))}
          .
        </Notice>
      )}
      <div className="documents-document">
        <Preview document={document} />
        <div className="documents-side">
          <section className="card" aria-labelledby="document-details">
            <h2 id="document-details">Details</h2>
            <Facts
              facts={[
                ['Folder', folder ? <Link to={`/documents?folder=${folder.id}`}>{folder.name}</Link> : '—'],
                ['Description', orDash(document.description)],
                ['Tags', orDash(document.tags.join(', '))],
                ['Owner', document.owner?.name ?? 'Tidings'],
                ['Type', current.mediaType],
                ['Created', formatDateTime(document.createdAt)],
                ['Updated', formatDateTime(document.updatedAt)],
                ['SHA-256', <code key="sha">{current.sha256}</code>],
              ]}
            />
          </section>
          <DocumentMetadata document={document} onChanged={refresh} />
          <DocumentLinks document={document} onChanged={refresh} />
          <DocumentRecordSection documentId={document.id} onChanged={refresh} />
          <DocumentTextSection documentId={document.id} version={current.label} />
        </div>
      </div>
      <DocumentVersions document={document} onChanged={refresh} />
      <VersionCompare key={current.label} document={document} />
      <DocumentReviewSection document={document} />
      <CommentsPanel subject={{ kind: 'document', id: document.id }} />
      {permissions && (
        <PermissionsDialog
          target={{ kind: 'document', id: document.id, name: document.title }}
          onClose={() => setPermissions(false)}
        />
      )}
      {editing && (
        <DocumentDetailsDialog
          document={document}
          folders={folders}
          onSaved={refresh}
          onClose={() => setEditing(false)}
        />
      )}
    </>
  );
}

/** One document: its preview, details, lock, links and versions. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const document = useApiData<TidingsDocument>(documentsApi.documentPath(id));
  const folders = useApiList<'folders', Folder>(documentsApi.foldersPath, 'folders');
  if (document.data === undefined || document.data.id !== id) {
    return document.error === undefined ? (
      <Loading what="the document" />
    ) : (
      <ErrorNotice error={document.error} onRetry={document.reload} />
    );
  }
  return <DocumentView document={document.data} folders={folders.items ?? []} />;
}
