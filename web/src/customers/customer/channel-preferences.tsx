import { useState, type FormEvent } from 'react';
import { choicesOf, Options } from '../../ui/choices.js';
import { useSubmission } from '../../ui/form.js';
import { messageOf } from '../../ui/states.js';
import type { Customer, CustomerChange } from '../customers.api.js';
import { channelLabels, channels, type Channel } from '../customer-vocabulary.js';

type Props = { customer: Customer; editable: boolean; onSave: (change: CustomerChange) => Promise<void> };

const moved = (order: Channel[], from: number, to: number) => {
  const next = [...order];
  const [channel] = next.splice(from, 1);
  if (channel) next.splice(to, 0, channel);
  return next;
};

function QuietHoursForm({ customer, editable, onSave }: Props) {
  const [start, setStart] = useState(customer.quietHours?.start ?? '');
  const [end, setEnd] = useState(customer.quietHours?.end ?? '');
  const submission = useSubmission(onSave);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run({ quietHours: start && end ? { start, end } : null });
  };
  const unchanged = start === (customer.quietHours?.start ?? '') && end === (customer.quietHours?.end ?? '');
  return (
    <form className="quiet-hours" onSubmit={submit}>
      <h3>Quiet hours</h3>
      <p className="muted small">
        Email, SMS and fax wait until they end, in the customer&apos;s time zone ({customer.timeZone}).
      </p>
      {editable ? (
        <div className="quiet-hours-row">
          <label>
            From
            <input type="time" value={start} onChange={(event) => setStart(event.target.value)} />
          </label>
          <label>
            Until
            <input type="time" value={end} onChange={(event) => setEnd(event.target.value)} />
          </label>
          <button
            type="submit"
            className="button button-small"
            disabled={unchanged || submission.saving || Boolean(start) !== Boolean(end)}
          >
            {start || end || !customer.quietHours ? 'Save quiet hours' : 'Clear quiet hours'}
          </button>
        </div>
      ) : (
        <p>{customer.quietHours ? `From ${customer.quietHours.start} until ${customer.quietHours.end}` : 'None'}</p>
      )}
      {submission.error !== undefined && (
        <p className="field-error" role="alert">
          {messageOf(submission.error)}
        </p>
      )}
    </form>
  );
}

/** The channels the customer wants to be reached on, in order, and the hours not to disturb them. */
export function ChannelPreferences({ customer, editable, onSave }: Props) {
  const submission = useSubmission(onSave);
  const order = customer.channelPreferences;
  const save = (channelPreferences: Channel[]) => void submission.run({ channelPreferences });
  const unlisted = channels.filter((channel) => !order.includes(channel));
  return (
    <section className="card" aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">Channel preferences</h2>
      {order.length === 0 ? (
        <p className="muted">No preference stated: we try email, portal, letter, SMS, then fax.</p>
      ) : (
        <ol className="preference-list" aria-busy={submission.saving}>
          {order.map((channel, index) => (
            <li key={channel}>
              <span className="preference-rank">{index + 1}</span>
              <span className="preference-name">{channelLabels[channel]}</span>
              {editable && (
                <span className="row-actions">
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Move ${channelLabels[channel]} up`}
                    disabled={index === 0}
                    onClick={() => save(moved(order, index, index - 1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Move ${channelLabels[channel]} down`}
                    disabled={index === order.length - 1}
                    onClick={() => save(moved(order, index, index + 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Remove ${channelLabels[channel]}`}
                    onClick={() => save(order.filter((kept) => kept !== channel))}
                  >
                    ×
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {editable && unlisted.length > 0 && (
        <label className="add-preference">
          <span className="visually-hidden">Add a preferred channel</span>
          <select value="" onChange={(event) => event.target.value && save([...order, event.target.value as Channel])}>
            <option value="">Add a channel…</option>
            <Options choices={choicesOf(unlisted, channelLabels)} />
          </select>
        </label>
      )}
      {submission.error !== undefined && (
        <p className="field-error" role="alert">
          {messageOf(submission.error)}
        </p>
      )}
      <QuietHoursForm
        key={`${customer.quietHours?.start}-${customer.quietHours?.end}`}
        customer={customer}
        editable={editable}
        onSave={onSave}
      />
    </section>
  );
}
