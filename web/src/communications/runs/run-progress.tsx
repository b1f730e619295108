import { Link } from 'react-router-dom';
import { channelLabels, channels } from '../../customers/customer-vocabulary.js';
import { formatNumber } from '../../ui/format.js';
import { communicationStatuses, runStatusLabels, statusHints, statusLabels } from '../communication-vocabulary.js';
import { communicationsLink } from '../list/communication-filters.js';
import type { BatchRunProgress } from './batch-runs.api.js';

/** How far a run is: items in a final state (a letter waiting for print counts) out of the run's total. */
export function RunProgressBar({
  progress,
  label = 'Batch run progress',
}: {
  progress: Pick<BatchRunProgress, 'status' | 'percent' | 'done' | 'total'>;
  label?: string;
}) {
  const percent = Math.min(100, Math.round(progress.percent));
  const text = `${runStatusLabels[progress.status]}: ${formatNumber(progress.done)} of ${formatNumber(progress.total)} done`;
  return (
    <div
      className={`run-progress run-progress-${progress.status}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
      title={text}
    >
      <div className="run-progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** The run's communications counted by status, each count a link to those communications. */
export function StatusCounts({ progress }: { progress: BatchRunProgress }) {
  const total = Object.values(progress.statuses).reduce((sum, count) => sum + count, 0);
  return (
    <section aria-labelledby="by-status-heading">
      <h3 id="by-status-heading">By status</h3>
      {total > 0 && (
        <div className="run-status-bar" aria-hidden="true">
          {communicationStatuses.map((status) =>
            progress.statuses[status] ? (
              <span
                key={status}
                className={`run-status-part comm-tone-${status}`}
                style={{ flexGrow: progress.statuses[status] }}
              />
            ) : null,
          )}
        </div>
      )}
      <dl className="run-counts" aria-label="Communications by status">
        {communicationStatuses.map((status) => (
          <div
            key={status}
            className={progress.statuses[status] ? 'run-count' : 'run-count run-count-zero'}
            title={statusHints[status]}
          >
            <dt>
              <span className={`run-dot comm-tone-${status}`} aria-hidden="true" />
              {statusLabels[status]}
            </dt>
            <dd>
              {progress.statuses[status] ? (
                <Link to={communicationsLink({ batchRunId: progress.id, status })}>
                  {formatNumber(progress.statuses[status])}
                </Link>
              ) : (
                '0'
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A small bar chart of the channels the run's communications took. */
export function ChannelCounts({ progress }: { progress: BatchRunProgress }) {
  const used = channels.filter((channel) => progress.channels[channel]);
  const largest = Math.max(1, ...used.map((channel) => progress.channels[channel] ?? 0));
  return (
    <section aria-labelledby="by-channel-heading">
      <h3 id="by-channel-heading">By channel</h3>
      {used.length === 0 ? (
        <p className="muted">No channel chosen yet.</p>
      ) : (
        <dl className="run-channels" aria-label="Communications by channel">
          {used.map((channel) => (
            <div key={channel} className="run-channel">
              <dt>{channelLabels[channel]}</dt>
              <dd>
                <span
                  className="run-channel-bar"
                  style={{ width: `${((progress.channels[channel] ?? 0) / largest) * 100}%` }}
                  aria-hidden="true"
                />
                <Link to={communicationsLink({ batchRunId: progress.id, channel })}>
                  {formatNumber(progress.channels[channel] ?? 0)}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
