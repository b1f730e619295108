import { channelLabels } from '../../customers/customer-vocabulary.js';
import { DataTable, orDash } from '../../ui/data-table.js';
import { formatDateTime } from '../../ui/format.js';
import { outcomeLabels, type AttemptOutcome } from '../communication-vocabulary.js';
import type { Attempt } from '../communications.api.js';

const outcomeTone: Record<AttemptOutcome, string> = {
  handing_over: 'neutral',
  handed_over: 'good',
  failed_temporarily: 'warning',
  failed_permanently: 'bad',
  bounced: 'bad',
  suppressed: 'bad',
  deferred: 'warning',
};

/** Every try to hand the item to a channel, oldest first, with what the provider answered. */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0)
    return <p className="muted">No attempt yet: the delivery job has not picked this communication up.</p>;
  return (
    <DataTable
      label="Attempts"
      className="comm-attempts"
      rows={attempts}
      rowKey={(attempt) => attempt.id}
      columns={[
        { header: 'Time', className: 'nowrap', cell: (attempt) => formatDateTime(attempt.at, { seconds: true }) },
        {
          header: 'Channel',
          className: 'nowrap',
          cell: (attempt) => orDash(attempt.channel && channelLabels[attempt.channel]),
        },
        {
          header: 'Outcome',
          className: 'nowrap',
          cell: (attempt) => (
            <span className={`comm-outcome comm-outcome-${outcomeTone[attempt.outcome]}`}>
              {outcomeLabels[attempt.outcome]}
            </span>
          ),
        },
        { header: 'Detail', cell: (attempt) => attempt.detail },
        {
          header: 'Provider response',
          cell: (attempt) =>
            orDash(
              attempt.providerResponse && (
                <pre className="comm-json">{JSON.stringify(attempt.providerResponse, null, 2)}</pre>
              ),
            ),
        },
      ]}
    />
  );
}
