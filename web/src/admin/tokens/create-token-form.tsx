import { useState, type FormEvent } from 'react';
import { endOfDay } from '../../ui/format.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { tokensApi, type CreatedApiToken } from './tokens.api.js';

const tomorrow = () => {
  const day = new Date();
  day.setDate(day.getDate() + 1);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
};

export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const [name, setName] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const submission = useSubmission(async () => {
    const token = await tokensApi.create({ name, expiresAt: expiresOn ? endOfDay(expiresOn) : undefined });
    setName('');
    setExpiresOn('');
    onCreated(token);
  });
  const errors = formErrors(submission.error, ['name', 'expiresAt']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <form className="card form form-inline" onSubmit={submit} aria-label="Create an API token">
      <h2>Create a token</h2>
      <FormError message={errors.general} />
      <div className="form-row">
        <Field label="Name" htmlFor="token-name" error={errors.fields.name} hint="What it is for, e.g. “CRM sync”.">
          <input
            id="token-name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <Field
          label="Expires on (optional)"
          htmlFor="token-expiry"
          error={errors.fields.expiresAt}
          hint="Works until the end of that day; never expires if empty."
        >
          <input
            id="token-expiry"
            type="date"
            min={tomorrow()}
            value={expiresOn}
            onChange={(event) => setExpiresOn(event.target.value)}
          />
        </Field>
        <div className="form-row-action">
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </div>
    </form>
  );
}
