import type { Channel, Purpose } from '../customers/customer-vocabulary.js';
import { RunButton, useSubmission } from '../ui/form.js';
import { formatDateTime } from '../ui/format.js';
import { messageOf } from '../ui/states.js';
import { channelLabels, channels, purposeHints, purposeLabels, purposes } from './portal-vocabulary.js';
import { portalApi, type PortalConsent, type PortalProfile } from './portal.api.js';

/**
 * Whether we may write for a purpose on a channel: as recorded, else the default (marketing only
 * with consent; bills and answers unless withdrawn).
 */
const allowedBy = (consent: PortalConsent | undefined, purpose: Purpose) => consent?.granted ?? purpose !== 'marketing';

function ConsentRow({
  channel,
  purpose,
  consent,
  onChanged,
}: {
  channel: Channel;
  purpose: Purpose;
  consent: PortalConsent | undefined;
  onChanged: (profile: PortalProfile) => void;
}) {
  const allowed = allowedBy(consent, purpose);
  const change = useSubmission(async () => onChanged(await portalApi.setConsent(channel, purpose, !allowed)));
  const what = `${purposeLabels[purpose].toLowerCase()} by ${channelLabels[channel].toLowerCase()}`;
  return (
    <li className="portal-consent">
      <span className="portal-consent-channel">
        <span className="strong">{channelLabels[channel]}</span>
        <span className={allowed ? 'status status-ok' : 'status status-off'}>
          {allowed ? 'Allowed' : 'Not allowed'}
        </span>
        {consent?.at && (
          <span className="muted small">
            {consent.granted ? 'Given' : 'Withdrawn'} {formatDateTime(consent.at)}
          </span>
        )}
      </span>
      <span className="portal-consent-action">
        <RunButton
          submission={change}
          label={allowed ? 'Withdraw' : 'Allow'}
          busyLabel="Saving…"
          title={allowed ? `Withdraw consent to ${what}` : `Allow ${what}`}
        />
        {change.error !== undefined && (
          <span className="field-error" role="alert">
            {messageOf(change.error)}
          </span>
        )}
      </span>
    </li>
  );
}

/** Consent per purpose and channel, each given or withdrawn on its own and recorded as the customer's choice. */
export function ConsentSection({
  profile,
  editable,
  onChanged,
}: {
  profile: PortalProfile;
  editable: boolean;
  onChanged: (profile: PortalProfile) => void;
}) {
  const consentOf = (channel: Channel, purpose: Purpose) =>
    profile.consents.find((consent) => consent.channel === channel && consent.purpose === purpose);
  return (
    <section className="card portal-card" aria-labelledby="consent-heading">
      <h2 id="consent-heading">What we may send you</h2>
      {purposes.map((purpose) => (
        <section key={purpose} className="portal-consent-purpose" aria-label={purposeLabels[purpose]}>
          <h3>{purposeLabels[purpose]}</h3>
          <p className="muted small">{purposeHints[purpose]}</p>
          <ul className="portal-consents" aria-label={`${purposeLabels[purpose]} consent`}>
            {channels.map((channel) =>
              editable && consentOf(channel, purpose)?.changeable !== false ? (
                <ConsentRow
                  key={channel}
                  channel={channel}
                  purpose={purpose}
                  consent={consentOf(channel, purpose)}
                  onChanged={onChanged}
                />
              ) : (
                <li key={channel} className="portal-consent">
                  <span className="portal-consent-channel">
                    <span className="strong">{channelLabels[channel]}</span>
                    {allowedBy(consentOf(channel, purpose), purpose) ? 'Allowed' : 'Not allowed'}
                  </span>
                </li>
              ),
            )}
          </ul>
        </section>
      ))}
    </section>
  );
}
