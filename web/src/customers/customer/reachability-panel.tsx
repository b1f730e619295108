import { formatDateTime } from '../../ui/format.js';
import { Loaded } from '../../ui/states.js';
import type { ApiData } from '../../ui/use-api-data.js';
import type { Reachability } from '../customers.api.js';
import { channelLabels, purposeHints, purposeLabels, purposes, type Purpose } from '../customer-vocabulary.js';

function Verdict({ purpose, reachability }: { purpose: Purpose; reachability: Reachability }) {
  return (
    <>
      {reachability.reachable && reachability.channel ? (
        <p className="verdict verdict-yes">
          <span className="verdict-channel">{channelLabels[reachability.channel]}</span>
          {reachability.address && <span className="verdict-address">{reachability.address}</span>}
          {reachability.deferUntil && (
            <span className="verdict-defer">
              Waits for quiet hours to end: {formatDateTime(reachability.deferUntil)}
            </span>
          )}
        </p>
      ) : (
        <p className="verdict verdict-no">Not reachable for {purposeLabels[purpose].toLowerCase()} messages</p>
      )}
      {reachability.considered.length === 0 ? (
        <p className="muted small">{reachability.reason}</p>
      ) : (
        <ol
          className="considered"
          aria-label={`Channels considered for ${purposeLabels[purpose].toLowerCase()} messages`}
        >
          {reachability.considered.map((verdict) => (
            <li key={verdict.channel} className={verdict.usable ? 'considered-usable' : 'considered-refused'}>
              <span className="considered-mark" aria-hidden="true">
                {verdict.usable ? '✓' : '✕'}
              </span>
              <span>
                <span className="strong">{channelLabels[verdict.channel]}</span>
                <span className="visually-hidden">{verdict.usable ? ' chosen: ' : ' not used: '}</span>
                <span className="muted"> {verdict.reason}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** For each purpose, the channel a message would take now and why every earlier channel was passed over. */
export function ReachabilityPanel({ verdicts }: { verdicts: Record<Purpose, ApiData<Reachability>> }) {
  return (
    <section className="card" aria-labelledby="reach-heading">
      <h2 id="reach-heading">Who can we reach?</h2>
      <div className="reach-grid">
        {purposes.map((purpose) => {
          const verdict = verdicts[purpose];
          return (
            <section key={purpose} className="reach-purpose" aria-label={`${purposeLabels[purpose]} messages`}>
              <h3 title={purposeHints[purpose]}>{purposeLabels[purpose]}</h3>
              <Loaded what="reachability" data={verdict.data} error={verdict.error} onRetry={verdict.reload}>
                {(reachability) => <Verdict purpose={purpose} reachability={reachability} />}
              </Loaded>
            </section>
          );
        })}
      </div>
    </section>
  );
}
