import { useState } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { formErrors, submitWith, useSubmission } from '../../ui/form.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useCurrency } from '../../ui/use-currency.js';
import { ratesApi, type ChannelRate } from './rates.api.js';

/** The server keeps thousandths of a cent: 100,000 to one unit of the currency, at most 100,000,000 (1,000 units). */
const PER_UNIT = 100_000;
const MAX_UNITS = 1_000;

class RateError extends Error {}

/** "0.085" (units of the currency) as typed, in the thousandths of a cent the server keeps; throws a sentence a person can act on. */
function millicentsOf(text: string, currency: string): number {
  const units = Number(text);
  if (text.trim() === '' || !Number.isFinite(units))
    throw new RateError(`Enter the cost in ${currency}, such as 0.07 or 0.001.`);
  if (units < 0) throw new RateError('A cost cannot be negative.');
  if (units > MAX_UNITS)
    throw new RateError(`A cost is at most ${formatMoney(MAX_UNITS * PER_UNIT, currency)} per item.`);
  const millicents = Math.round(units * PER_UNIT);
  if (Math.abs(millicents - units * PER_UNIT) > 1e-6)
    throw new RateError('Use at most five decimals: a thousandth of a cent is the smallest step.');
  return millicents;
}

function RateEditor({
  rate,
  currency,
  onSaved,
  onCancel,
}: {
  rate: ChannelRate;
  currency: string;
  onSaved: (rates: ChannelRate[], saved: ChannelRate) => void;
  onCancel: () => void;
}) {
  const label = channelLabels[rate.channel];
  const [text, setText] = useState(String(rate.costMillicents / PER_UNIT));
  const submission = useSubmission(async () => {
    const costMillicents = millicentsOf(text, currency);
    const { rates } = await ratesApi.set(rate.channel, costMillicents);
    onSaved(rates, rates.find((candidate) => candidate.channel === rate.channel) ?? { ...rate, costMillicents });
  });
  const problem = submission.error instanceof RateError ? submission.error.message : undefined;
  const errors = formErrors(problem ? undefined : submission.error, ['costMillicents']);
  const message = problem ?? errors.fields.costMillicents ?? errors.general;
  const inputId = `rate-${rate.channel}`;
  const submit = submitWith(submission.run);

  return (
    <form
      className="rate-editor"
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      aria-label={`${label} rate`}
    >
      <span className="rate-input">
        <input
          id={inputId}
          type="number"
          inputMode="decimal"
          min={0}
          max={MAX_UNITS}
          step={0.00001}
          aria-label={`${label} cost in ${currency} per item`}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${inputId}-error` : undefined}
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoFocus
        />
        <span className="muted">{currency} per item</span>
      </span>
      <button type="submit" className="button button-primary button-small" disabled={submission.saving}>
        {submission.saving ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="button button-small" onClick={onCancel} disabled={submission.saving}>
        Cancel
      </button>
      {message && (
        <p className="field-error rate-error" id={`${inputId}-error`} role="alert">
          {message}
        </p>
      )}
    </form>
  );
}

type RowProps = {
  rate: ChannelRate;
  currency: string | undefined;
  editable: boolean;
  editing: boolean;
  onEdit: () => void;
  onSaved: (rates: ChannelRate[], saved: ChannelRate) => void;
  onCancel: () => void;
};

function RateRow({ rate, currency, editable, editing, onEdit, onSaved, onCancel }: RowProps) {
  const label = channelLabels[rate.channel];
  return (
    <tr>
      <td className="strong">{label}</td>
      <td>
        {editing && currency ? (
          <RateEditor rate={rate} currency={currency} onSaved={onSaved} onCancel={onCancel} />
        ) : (
          <>
            <span className="strong">{formatMoney(rate.costMillicents, currency)}</span>{' '}
            <span className="muted">per item</span>
          </>
        )}
      </td>
      <td className="nowrap">
        {rate.updatedAt ? (
          formatDateTime(rate.updatedAt)
        ) : (
          <span className="badge" title="The built-in rate: nobody has set one yet">
            default
          </span>
        )}
      </td>
      {editable && (
        <td className="actions-cell">
          {!editing && (
            <button
              type="button"
              className="button button-small"
              aria-label={`Change the ${label} rate`}
              onClick={onEdit}
            >
              Change
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** What one item costs on each channel; brand managers change a rate where it stands. */
export function RatesPage() {
  const user = useSignedInUser();
  const editable = may(user, 'brand.manage');
  const rates = useApiData<{ rates: ChannelRate[] }>(ratesApi.listPath);
  const currency = useCurrency();
  const [editing, setEditing] = useState<ChannelRate['channel']>();
  const [saved, setSaved] = useState<ChannelRate>();

  const onSaved = (all: ChannelRate[], rate: ChannelRate) => {
    rates.replace({ rates: all });
    setEditing(undefined);
    setSaved(rate);
  };

  return (
    <>
      <PageHeader
        title="Channel rates"
        description={`What one item costs on each channel, in the brand kit's currency. Each communication keeps the rate its channel had when it was handed over, so a change applies to what is sent from now on.${editable ? '' : ' Admins and managers change rates.'}`}
      />
      <div className="rates">
        {saved && (
          <p className="notice notice-success" role="status">
            {channelLabels[saved.channel]} now costs {formatMoney(saved.costMillicents, currency)} per item. Items
            already sent keep their cost.
          </p>
        )}
        <Loaded what="channel rates" data={rates.data} error={rates.error} onRetry={rates.reload}>
          {({ rates: list }) => (
            <div className="table-wrap">
              <table className="table" aria-label="Channel rates">
                <thead>
                  <tr>
                    <th>Channel</th>
                    <th>Cost per item</th>
                    <th>Set</th>
                    {editable && (
                      <th>
                        <span className="visually-hidden">Change</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((rate) => (
                    <RateRow
                      key={rate.channel}
                      rate={rate}
                      currency={currency}
                      editable={editable}
                      editing={editing === rate.channel}
                      onEdit={() => {
                        setEditing(rate.channel);
                        setSaved(undefined);
                      }}
                      onSaved={onSaved}
                      onCancel={() => setEditing(undefined)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      </div>
    </>
  );
}
