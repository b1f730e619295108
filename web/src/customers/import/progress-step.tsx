import { Link } from 'react-router-dom';
import { RunButton, useSubmission } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { messageOf } from '../../ui/states.js';
import { ImportRejects } from './import-rejects.js';
import { finishedStatuses, importStatusLabels, importsApi, type CustomerImport } from './imports.api.js';

function ProgressBar({ customerImport }: { customerImport: CustomerImport }) {
  const { status, rowsDone, rowsTotal } = customerImport;
  const finished = finishedStatuses.includes(status);
  // While validating, the total is unknown until the whole file has been read.
  const known = rowsTotal > 0;
  const percent = finished ? 100 : known ? Math.min(100, Math.round((rowsDone / rowsTotal) * 100)) : undefined;
  const label = known
    ? `${formatNumber(rowsDone)} of ${formatNumber(rowsTotal)} rows`
    : `${formatNumber(rowsDone)} rows checked`;
  return (
    <div className="import-progress">
      <div className="import-progress-label">
        <span className="strong">{importStatusLabels[status]}</span>
        <span className="muted">{status === 'completed' ? `${formatNumber(rowsTotal)} rows` : label}</span>
      </div>
      <div
        className={`progress progress-${status}`}
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${importStatusLabels[status]}: ${label}`}
      >
        <div
          className={percent === undefined ? 'progress-fill progress-indeterminate' : 'progress-fill'}
          style={percent === undefined ? undefined : { width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

/** What an import wrote, or would write on a dry run: a CSV import's progress and a vCard file's result. */
export function ImportCounts({
  counts,
  dryRun = false,
}: {
  counts: { inserted: number; updated: number; rejected: number };
  dryRun?: boolean;
}) {
  const would = dryRun ? ' (would be)' : '';
  return (
    <dl className="import-counts" aria-label="Import counts">
      <div>
        <dt>Inserted{would}</dt>
        <dd>{formatNumber(counts.inserted)}</dd>
      </div>
      <div>
        <dt>Updated{would}</dt>
        <dd>{formatNumber(counts.updated)}</dd>
      </div>
      <div className={counts.rejected ? 'count-rejected' : undefined}>
        <dt>Rejected</dt>
        <dd>{formatNumber(counts.rejected)}</dd>
      </div>
    </dl>
  );
}

function Outcome({ customerImport }: { customerImport: CustomerImport }) {
  const { status, dryRun, error } = customerImport;
  if (status === 'failed')
    return (
      <p className="notice notice-error">
        The import stopped: {error ?? 'an unexpected error'}. Rows already written stay imported.
      </p>
    );
  if (status === 'rejected')
    return (
      <p className="notice notice-error">
        Some rows were rejected, so nothing was imported. Fix the file, or import the valid rows only.
      </p>
    );
  if (status !== 'completed') return null;
  if (dryRun)
    return (
      <p className="notice notice-info">
        Dry run finished: nothing was changed. The counts show what the import would do.
      </p>
    );
  return <p className="notice notice-success">Import completed.</p>;
}

/** Where to go from a finished import: the customer list (once it wrote customers), or another file. */
export function WaysOn({
  listed,
  onDone,
  primary = false,
}: {
  listed: boolean;
  onDone: () => void;
  primary?: boolean;
}) {
  return (
    <>
      {listed && (
        <Link className="button" to="/customers">
          Go to the customer list
        </Link>
      )}
      <button type="button" className={primary ? 'button button-primary' : 'button'} onClick={onDone}>
        Import another file
      </button>
    </>
  );
}

type Props = {
  customerImport: CustomerImport;
  onRestarted: (restarted: CustomerImport) => void;
  onRemap: () => void;
  onDone: () => void;
};

/** Step 3: live progress while the job runs, then the outcome and the rows it refused. */
export function ProgressStep({ customerImport, onRestarted, onRemap, onDone }: Props) {
  const { status, dryRun } = customerImport;
  const finished = finishedStatuses.includes(status);
  const restart = useSubmission(async (change: { dryRun: boolean; partial: boolean }) => {
    const { mapping, upsertBy, mode } = customerImport;
    if (!mapping || !upsertBy) return onRemap();
    onRestarted(await importsApi.start(customerImport.id, { mapping, upsertBy, mode, ...change }));
  });
  return (
    <div className="stack">
      <section className="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">
          {dryRun ? 'Dry run of' : 'Import of'} {customerImport.fileName}
        </h2>
        <ProgressBar customerImport={customerImport} />
        <ImportCounts counts={customerImport} dryRun={customerImport.dryRun} />
        <Outcome customerImport={customerImport} />
        {restart.error !== undefined && (
          <p className="field-error" role="alert">
            {messageOf(restart.error)}
          </p>
        )}
        {finished && (
          <div className="form-actions">
            {(status === 'rejected' || status === 'failed' || dryRun) && (
              <button type="button" className="button" onClick={onRemap}>
                Change the mapping
              </button>
            )}
            {status === 'rejected' && (
              <RunButton
                primary
                submission={restart}
                args={[{ dryRun: false, partial: true }]}
                label="Import the valid rows"
              />
            )}
            {status === 'completed' && dryRun && (
              <RunButton
                primary
                submission={restart}
                args={[{ dryRun: false, partial: customerImport.partial }]}
                label="Import for real"
              />
            )}
            <WaysOn listed={status === 'completed' && !dryRun} onDone={onDone} />
          </div>
        )}
      </section>
      {finished && customerImport.rejected > 0 && (
        <ImportRejects key={`${customerImport.id}-${customerImport.finishedAt}`} importId={customerImport.id} />
      )}
    </div>
  );
}
