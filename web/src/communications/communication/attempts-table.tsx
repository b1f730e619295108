import { channelLabels } from '../../customers/customer-vocabulary.js';
import { formatDateTime } from '../../ui/format.js';
import { outcomeLabels, type AttemptOutcome } from '../communication-vocabulary.js';
import type { Attempt } from '../communications.api.js';

const outcomeTone: Record<AttemptOutcome, string> = {
  handing_over: 'neutral',
  handed_over: 'good',
  failed_temporarily: 'warning',
  failed_permanently: 'bad',
  suppressed: 'bad',
  deferred: 'warning',
};

/** Every try to hand the item to a channel, oldest first, with what the provider answered. */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0)
    return <p className="muted">No attempt yet: the delivery job has not picked this communication up.</p>;
  return (
    <div className="table-wrap">
      <table className="table comm-attempts" aria-label="Attempts">
        <thead>
          <tr>
            <th>Time</th>
            <th>Channel</th>
            <th>Outcome</th>
            <th>Detail</th>
            <th>Provider response</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <tr key={attempt.id}>
              <td className="nowrap">{formatDateTime(attempt.at, { seconds: true })}</td>
              <td className="nowrap">
                {attempt.channel ? channelLabels[attempt.channel] : <span className="muted">—</span>}
              </td>
              <td className="nowrap">
                <span className={`comm-outcome comm-outcome-${outcomeTone[attempt.outcome]}`}>
                  {outcomeLabels[attempt.outcome]}
                </span>
              </td>
              <td>{attempt.detail}</td>
              <td>
                {attempt.providerResponse ? (
                  <pre className="comm-json">{JSON.stringify(attempt.providerResponse, null, 2)}</pre>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
