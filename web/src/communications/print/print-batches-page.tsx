import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../customers/customer-permissions.js';
import { useSubmission } from '../../ui/form.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { communicationsApi, type Communication } from '../communications.api.js';
import { communicationsLink } from '../list/communication-filters.js';
import { printBatchesApi, type PrintBatch } from './print-batches.api.js';

// A letter waits for print once rendered and handed to the print transport; the API counts up to this many.
const WAITING = { channel: 'letter', status: 'rendered', transport: 'print' } as const;
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
  const batches = useApiData<{ printBatches: PrintBatch[] }>(printBatchesApi.listPath);
  const waiting = useApiData<{ communications: Communication[]; nextCursor: string | null }>(
    communicationsApi.listPath(WAITING, WAITING_LIMIT),
  );
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'info'; text: string }>();
  const make = useSubmission(async () => {
    setOutcome(undefined);
    const answer = await printBatchesApi.create();
    if ('message' in answer) setOutcome({ tone: 'info', text: answer.message });
    else
      setOutcome({
        tone: 'success',
        text: `Made a print batch of ${formatNumber(answer.items)} ${answer.items === 1 ? 'letter' : 'letters'}, ${formatNumber(answer.pages)} ${answer.pages === 1 ? 'page' : 'pages'}.`,
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
            <button
              type="button"
              className="button button-primary"
              disabled={make.saving}
              onClick={() => void make.run()}
            >
              {make.saving ? 'Making…' : 'Make a print batch now'}
            </button>
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
      <Loaded what="print batches" data={batches.data} error={batches.error} onRetry={batches.reload}>
        {({ printBatches }) =>
          printBatches.length === 0 ? (
            <Empty title="No print batches yet">
              Letters from batch runs and single sends collect until the next batch is made.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Print batches">
                <thead>
                  <tr>
                    <th>Made</th>
                    <th className="numeric">Letters</th>
                    <th className="numeric">Pages</th>
                    <th>PDF SHA-256</th>
                    <th>Manifest SHA-256</th>
                    <th>Folder</th>
                    <th>
                      <span className="visually-hidden">Downloads</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {printBatches.map((batch) => (
                    <tr key={batch.id}>
                      <td className="nowrap">
                        {formatDateTime(batch.createdAt)}
                        <div className="muted comm-small">by {batch.createdBy}</div>
                      </td>
                      <td className="numeric">{formatNumber(batch.items)}</td>
                      <td className="numeric">{formatNumber(batch.pages)}</td>
                      <td>{shortHash(batch.pdfSha256)}</td>
                      <td>{shortHash(batch.manifestSha256)}</td>
                      <td className="comm-folder">
                        {batch.folder ? <code>{batch.folder}</code> : <span className="muted">—</span>}
                      </td>
                      <td className="actions-cell">
                        <div className="row-actions">
                          <a className="button button-small" href={printBatchesApi.pdfPath(batch.id)} download>
                            Letters (PDF)
                          </a>
                          <a className="button button-small" href={printBatchesApi.manifestPath(batch.id)} download>
                            Manifest (CSV)
                          </a>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
