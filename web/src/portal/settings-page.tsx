import { useState } from 'react';
import type { Channel } from '../customers/customer-vocabulary.js';
import { FormError, RunButton, TextAreaField, TextField, useForm, useSubmission } from '../ui/form.js';
import { Loaded, messageOf, Notice } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { ConsentSection } from './consent-section.js';
import { PortalHeader } from './portal-layout.js';
import { usePortalMe } from './portal-session.js';
import { channelLabels, channels } from './portal-vocabulary.js';
import { portalApi, type PortalProfile, type ProfileChange } from './portal.api.js';

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

type ContactValues = {
  givenName: string;
  familyName: string;
  phones: string;
  fax: string;
  street: string;
  postalCode: string;
  city: string;
};

const contactValuesOf = (profile: PortalProfile): ContactValues => ({
  givenName: profile.givenName ?? '',
  familyName: profile.familyName ?? '',
  phones: profile.phones.join('\n'),
  fax: profile.fax ?? '',
  street: profile.address?.lines.join('\n') ?? '',
  postalCode: profile.address?.postalCode ?? '',
  city: profile.address?.city ?? '',
});

/** The change to send: only the fields this customer may edit (the server refuses the others). */
function changeOf(values: ContactValues, profile: PortalProfile): ProfileChange {
  const may = (field: keyof ProfileChange) => profile.editable.includes(field);
  return {
    ...(may('givenName') && { givenName: values.givenName.trim() || null }),
    ...(may('familyName') && { familyName: values.familyName.trim() || null }),
    ...(may('phones') && { phones: lines(values.phones) }),
    ...(may('fax') && { fax: values.fax.trim() || null }),
    ...(may('address') && {
      address: {
        lines: lines(values.street),
        postalCode: values.postalCode.trim(),
        city: values.city.trim(),
        country: profile.address?.country ?? 'DE',
      },
    }),
  };
}

/** The contact details the customer may change; the others are shown, to be changed by asking us. */
function ContactDetails({ profile, onSaved }: { profile: PortalProfile; onSaved: (profile: PortalProfile) => void }) {
  const [saved, setSaved] = useState(false);
  const may = (field: string) => profile.editable.includes(field);
  const form = useForm(
    contactValuesOf(profile),
    async (values) => {
      setSaved(false);
      onSaved(await portalApi.changeProfile(changeOf(values, profile)));
      setSaved(true);
    },
    { fields: ['givenName', 'familyName', 'phones', 'fax', 'address'] },
  );
  return (
    <form className="form card portal-card" onSubmit={form.submit} noValidate aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact details</h2>
      <p>
        <span className="strong">{profile.customer.name}</span>
        {profile.emails.length > 0 && (
          <>
            <br />
            <span className="muted small">
              We write to {profile.emails.join(', ')}. To change an email address, open a request.
            </span>
          </>
        )}
      </p>
      <FormError message={form.errors.general} />
      {saved && <Notice tone="success">Your contact details are saved.</Notice>}
      {(may('givenName') || may('familyName')) && (
        <div className="form-row">
          <TextField
            form={form}
            name="givenName"
            label="First name"
            autoComplete="given-name"
            disabled={!may('givenName')}
          />
          <TextField
            form={form}
            name="familyName"
            label="Last name"
            autoComplete="family-name"
            disabled={!may('familyName')}
          />
        </div>
      )}
      <TextAreaField
        form={form}
        name="phones"
        label="Phone numbers"
        rows={2}
        hint="One per line."
        disabled={!may('phones')}
      />
      <TextField form={form} name="fax" label="Fax number" autoComplete="fax tel" disabled={!may('fax')} />
      <TextAreaField
        form={form}
        name="street"
        label="Street and house number"
        errorOf="address"
        rows={2}
        autoComplete="street-address"
        disabled={!may('address')}
      />
      <div className="form-row">
        <TextField
          form={form}
          name="postalCode"
          label="Postal code"
          errorOf="address"
          autoComplete="postal-code"
          disabled={!may('address')}
        />
        <TextField
          form={form}
          name="city"
          label="City"
          errorOf="address"
          autoComplete="address-level2"
          disabled={!may('address')}
        />
      </div>
      {profile.editable.length > 0 && (
        <button type="submit" className="button button-primary" disabled={form.saving}>
          {form.saving ? 'Saving…' : 'Save contact details'}
        </button>
      )}
    </form>
  );
}

/** The channels in the customer's order, and the hours in which nothing should reach them. */
function Preferences({ profile, onSaved }: { profile: PortalProfile; onSaved: (profile: PortalProfile) => void }) {
  const [order, setOrder] = useState<Channel[]>(profile.channelPreferences);
  const [quiet, setQuiet] = useState(profile.quietHours ?? { start: '', end: '' });
  const [saved, setSaved] = useState(false);
  const save = useSubmission(async () => {
    setSaved(false);
    const quietHours = quiet.start && quiet.end ? quiet : null;
    onSaved(await portalApi.setPreferences({ channelPreferences: order, quietHours }));
    setSaved(true);
  });
  const move = (index: number, by: number) => {
    const next = [...order];
    const [channel] = next.splice(index, 1);
    next.splice(index + by, 0, channel!);
    setOrder(next);
  };
  const others = channels.filter((channel) => !order.includes(channel));
  return (
    <section className="card portal-card" aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">How we reach you</h2>
      <p className="muted small">We use the first channel you allow, and the next one when it fails.</p>
      {save.error !== undefined && <Notice tone="error">{messageOf(save.error)}</Notice>}
      {saved && <Notice tone="success">Your preferences are saved.</Notice>}
      <ol className="portal-order" aria-label="Channels in your order">
        {order.map((channel, index) => (
          <li key={channel}>
            <span className="strong">
              {index + 1}. {channelLabels[channel]}
            </span>
            <span className="portal-order-actions">
              <button
                type="button"
                className="button button-small"
                disabled={index === 0}
                aria-label={`Move ${channelLabels[channel]} up`}
                onClick={() => move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={index === order.length - 1}
                aria-label={`Move ${channelLabels[channel]} down`}
                onClick={() => move(index, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove ${channelLabels[channel]}`}
                onClick={() => setOrder(order.filter((held) => held !== channel))}
              >
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      {others.length > 0 && (
        <p className="portal-actions">
          {others.map((channel) => (
            <button
              key={channel}
              type="button"
              className="button button-small"
              onClick={() => setOrder([...order, channel])}
            >
              Add {channelLabels[channel]}
            </button>
          ))}
        </p>
      )}
      <fieldset className="field">
        <legend>Quiet hours</legend>
        <p className="muted small">
          No email, text or fax between these times ({profile.timeZone}); leave empty for none.
        </p>
        <div className="form-row">
          <label className="field">
            From
            <input
              type="time"
              value={quiet.start}
              onChange={(event) => setQuiet({ ...quiet, start: event.target.value })}
            />
          </label>
          <label className="field">
            Until
            <input
              type="time"
              value={quiet.end}
              onChange={(event) => setQuiet({ ...quiet, end: event.target.value })}
            />
          </label>
        </div>
      </fieldset>
      <RunButton submission={save} label="Save preferences" busyLabel="Saving…" primary disabled={order.length === 0} />
    </section>
  );
}

export function SettingsPage() {
  const me = usePortalMe();
  const profile = useApiData<PortalProfile>(portalApi.profilePath);
  const full = me.access === 'full';
  return (
    <>
      <PortalHeader title="Settings">
        <p>Your contact details, how we reach you, and what you allow us to send.</p>
      </PortalHeader>
      <Loaded what="your settings" data={profile.data} error={profile.error} onRetry={profile.reload}>
        {(current) => (
          <div className="portal-stack">
            <ContactDetails profile={current} onSaved={profile.replace} />
            <Preferences profile={current} onSaved={profile.replace} />
            <ConsentSection profile={current} editable={full} onChanged={profile.replace} />
          </div>
        )}
      </Loaded>
    </>
  );
}
