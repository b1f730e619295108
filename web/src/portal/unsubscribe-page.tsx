import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { RunButton, useSubmission } from '../ui/form.js';
import { Loaded, messageOf, Notice } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { PortalHeader } from './portal-layout.js';
import { channelLabels, purposeLabels } from './portal-vocabulary.js';
import { unsubscribeApi, type Unsubscription } from './portal.api.js';

const describe = ({ purpose, channel }: Unsubscription) =>
  `${purposeLabels[purpose].toLowerCase()} by ${channelLabels[channel].toLowerCase()}`;

/**
 * One-click unsubscribe from a marketing email, without signing in: the page says what the link
 * withdraws (opening it withdraws nothing, as link scanners open links too), one button does it.
 */
export function UnsubscribePage() {
  const location = useLocation();
  // Read once: the token is taken out of the address so that it is not kept in the history.
  const [token] = useState(() => location.hash.slice(1));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  const what = useApiData<Unsubscription>(token ? unsubscribeApi.path(token) : null);
  const [done, setDone] = useState<Unsubscription | null>(null);
  const unsubscribe = useSubmission(async () => setDone(await unsubscribeApi.unsubscribe(token)));

  return (
    <div className="portal-narrow">
      <PortalHeader title="Unsubscribe" />
      {!token ? (
        <Notice tone="error">This unsubscribe link is incomplete. Open it again from the email.</Notice>
      ) : done ? (
        <Notice tone="success">
          Done: {done.customerName} receives no more {describe(done)}. You can allow it again in your settings at any
          time.
        </Notice>
      ) : (
        <Loaded what="what this link unsubscribes" data={what.data} error={what.error} onRetry={what.reload}>
          {(unsubscription) => (
            <section className="card portal-card" aria-label="Unsubscribe">
              <p>
                Stop sending <strong>{describe(unsubscription)}</strong> to {unsubscription.customerName}?
              </p>
              {unsubscribe.error !== undefined && <Notice tone="error">{messageOf(unsubscribe.error)}</Notice>}
              <RunButton submission={unsubscribe} label="Unsubscribe" busyLabel="Unsubscribing…" primary />
            </section>
          )}
        </Loaded>
      )}
      <p className="muted">
        To choose what we send you on each channel, <Link to="/portal/settings">sign in to your settings</Link>.
      </p>
    </div>
  );
}
