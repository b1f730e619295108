import { choicesIn } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { FieldGroup, SelectField, TextAreaField, useForm } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { customersApi, type ConsentState } from '../customers.api.js';
import {
  channelLabels,
  consentSourceLabels,
  purposeLabels,
  type Channel,
  type ConsentSource,
  type Purpose,
} from '../customer-vocabulary.js';

type Props = {
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  current: ConsentState | undefined;
  onClose: () => void;
  onRecorded: () => void;
};

/** Grants or withdraws one consent; the ledger keeps who recorded it, from what source, and why. */
export function ConsentDialog({ customerId, channel, purpose, current, onClose, onRecorded }: Props) {
  const form = useForm(
    { granted: !current?.granted, source: 'form' as ConsentSource, note: '' },
    async ({ granted, source, note }) => {
      await customersApi.recordConsent(customerId, {
        channel,
        purpose,
        granted,
        source,
        ...(note.trim() && { note: note.trim() }),
      });
      onRecorded();
    },
  );
  const { granted } = form.values;

  return (
    <DialogForm
      title={`${purposeLabels[purpose]} consent for ${channelLabels[channel]}`}
      onClose={onClose}
      size="small"
      form={form}
      submitLabel={granted ? 'Record grant' : 'Record withdrawal'}
      busyLabel="Recording…"
      intro={
        <p className="muted">
          {current
            ? `${current.granted ? 'Granted' : 'Withdrawn'} on ${formatDateTime(current.at)} (${consentSourceLabels[current.source].toLowerCase()}).`
            : 'Nothing recorded yet for this channel and purpose.'}
        </p>
      }
    >
      <FieldGroup label="The customer" error={form.errors.fields.granted}>
        <div className="choice-row">
          <label className="checkbox">
            <input type="radio" name="consent-granted" checked={granted} onChange={() => form.set('granted', true)} />
            Grants consent
          </label>
          <label className="checkbox">
            <input type="radio" name="consent-granted" checked={!granted} onChange={() => form.set('granted', false)} />
            Withdraws consent
          </label>
        </div>
      </FieldGroup>
      <SelectField
        form={form}
        name="source"
        label="Source"
        hint="How the customer told us."
        choices={choicesIn(consentSourceLabels)}
      />
      <TextAreaField
        form={form}
        name="note"
        label="Note"
        hint="Optional: a reference, or what the customer said."
        rows={2}
      />
    </DialogForm>
  );
}
