import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { RunButton, useSubmission } from '../../ui/form.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { orDash } from '../../ui/data-table.js';
import { PagedTable } from '../../ui/paged-list.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiData, useApiList } from '../../ui/use-api-data.js';
import { communicationsApi, type Communication } from '../communications.api.js';
import { communicationsLink } from '../list/communication-filters.js';
import { printBatchesApi, type PrintBatch } from './print-batches.api.js';

// A letter handed to the print queue waits in awaiting_print for the next batch; the API counts up to this many.
const WAITING = { status: 'awaiting_print' } as const;
const WAITING_LIMIT = 200;

const shortHash = (sha256: string) => (
  <code className="comm-hash-short" title={sha256}>
    {sha256.slice(0, 12)}…
  </code>
);

function WaitingLetters({ count, more }: { count: number; more: boolean }) {
  if (count === 0) return <span className="muted">No letters wait for print.</span>;
  return (
    <Link to={communicationsLink(WAITING)}>
      {formatNumber(count)}
      {more ? '+' : ''} {count === 1 && !more ? 'letter waits' : 'letters wait'} for the next print batch
    </Link>
  );
}

/** Letters for the print-and-post vendor: one merged PDF and a CSV manifest per batch. */
export function PrintBatchesPage() {
  const user = useSignedInUser();
  const batches = useApiList<'printBatches', PrintBatch>(printBatchesApi.listPath, 'printBatches');
  const waiting = useApiData<{ communications: Communication[]; nextCursor: string | null }>(
    communicationsApi.listPath(WAITING, WAITING_LIMIT),
  );
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'info'; text: string }>();
  const make = useSubmission(async () => {
    setOutcome(undefined);
    const { printBatch, message } = await printBatchesApi.create();
    if (!printBatch) setOutcome({ tone: 'info', text: message });
    else
      setOutcome({
        tone: 'success',
        text: `Made a print batch of ${formatNumber(printBatch.items)} ${printBatch.items === 1 ? 'letter' : 'letters'}, ${formatNumber(printBatch.pages)} ${printBatch.pages === 1 ? 'page' : 'pages'}.`,
      });
    batches.reload();
    waiting.reload();
  });

  return (
    <>
      <PageHeader
        title="Print batches"
        description="Letters go to the print-and-post vendor as one merged PDF with a CSV manifest, made once a day or on demand. Each letter is marked sent when its batch is made."
        actions={
          may(user, 'runs.manage') && (
            <RunButton primary submission={make} label="Make a print batch now" busyLabel="Making…" />
          )
        }
      />
      <p className="comm-waiting">
        {waiting.data ? (
          <WaitingLetters count={waiting.data.communications.length} more={waiting.data.nextCursor !== null} />
        ) : (
          ' '
        )}
      </p>
      {make.error !== undefined && <ErrorNotice error={make.error} />}
      {outcome && (
        <p className={outcome.tone === 'success' ? 'notice notice-success' : 'notice comm-notice-info'} role="status">
          {outcome.text}
        </p>
      )}
      <PagedTable
        list={batches}
        what="print batches"
        empty={{
          title: 'No print batches yet',
          hint: 'Letters from batch runs and single sends collect until the next batch is made.',
        }}
        label="Print batches"
        rowKey={(batch) => batch.id}
        columns={(column) => [
          {
            ...column.date('Made', (batch) => batch.createdAt),
            cell: (batch) => (
              <>
                {formatDateTime(batch.createdAt)}
                <div className="muted cell-note">by {batch.createdBy}</div>
              </>
            ),
          },
          { header: 'Letters', numeric: true, cell: (batch) => formatNumber(batch.items) },
          { header: 'Pages', numeric: true, cell: (batch) => formatNumber(batch.pages) },
          { header: 'PDF SHA-256', cell: (batch) => shortHash(batch.pdfSha256) },
          { header: 'Manifest SHA-256', cell: (batch) => shortHash(batch.manifestSha256) },
          {
            header: 'Folder',
            className: 'comm-folder',
            cell: (batch) => orDash(batch.folderName && <code>{batch.folderName}</code>),
          },
          may(user, 'print_batches.download') &&
            column.actions(
              (batch: PrintBatch) => (
                <>
                  <a className="button button-small" href={printBatchesApi.pdfPath(batch.id)} download>
                    Letters (PDF)
                  </a>
                  <a className="button button-small" href={printBatchesApi.manifestPath(batch.id)} download>
                    Manifest (CSV)
                  </a>
                </>
              ),
              'Downloads',
            ),
        ]}
      />
    </>
  );
}
