import { useState, type FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { Field, FieldGroup, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { customersApi, type ConsentState } from '../customers.api.js';
import {
  channelLabels,
  consentSourceLabels,
  consentSources,
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
  const [granted, setGranted] = useState(!current?.granted);
  const [source, setSource] = useState<ConsentSource>('form');
  const [note, setNote] = useState('');
  const submission = useSubmission(async () => {
    await customersApi.recordConsent(customerId, {
      channel,
      purpose,
      granted,
      source,
      ...(note.trim() && { note: note.trim() }),
    });
    onRecorded();
  });
  const errors = formErrors(submission.error, ['granted', 'source', 'note']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={`${purposeLabels[purpose]} consent for ${channelLabels[channel]}`} onClose={onClose} size="small">
      <form className="form" onSubmit={submit}>
        <p className="muted">
          {current
            ? `${current.granted ? 'Granted' : 'Withdrawn'} on ${formatDateTime(current.at)} (${consentSourceLabels[current.source].toLowerCase()}).`
            : 'Nothing recorded yet for this channel and purpose.'}
        </p>
        <FormError message={errors.general} />
        <FieldGroup label="The customer" error={errors.fields.granted}>
          <div className="choice-row">
            <label className="checkbox">
              <input type="radio" name="consent-granted" checked={granted} onChange={() => setGranted(true)} />
              Grants consent
            </label>
            <label className="checkbox">
              <input type="radio" name="consent-granted" checked={!granted} onChange={() => setGranted(false)} />
              Withdraws consent
            </label>
          </div>
        </FieldGroup>
        <Field label="Source" htmlFor="consent-source" error={errors.fields.source} hint="How the customer told us.">
          <select
            id="consent-source"
            value={source}
            onChange={(event) => setSource(event.target.value as ConsentSource)}
          >
            {consentSources.map((option) => (
              <option key={option} value={option}>
                {consentSourceLabels[option]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Note"
          htmlFor="consent-note"
          error={errors.fields.note}
          hint="Optional: a reference, or what the customer said."
        >
          <textarea id="consent-note" rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Recording…' : granted ? 'Record grant' : 'Record withdrawal'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
