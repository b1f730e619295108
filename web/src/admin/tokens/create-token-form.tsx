import { Radios } from '../../ui/choices.js';
import { endOfDay } from '../../ui/format.js';
import { FieldGroup, FormError, TextField, useForm } from '../../ui/form.js';
import { scopeLabels, tokensApi, type CreatedApiToken, type TokenScope } from './tokens.api.js';

const dayInput = (day: Date) =>
  `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;

const daysFromToday = (days: number) => {
  const day = new Date();
  day.setDate(day.getDate() + days);
  return dayInput(day);
};

const scopes = Object.keys(scopeLabels) as TokenScope[];

export function CreateTokenForm({
  maxLifeDays,
  onCreated,
}: {
  /** The server's longest token life: the default expiry and the latest day to choose. */
  maxLifeDays: number;
  onCreated: (token: CreatedApiToken) => void;
}) {
  const form = useForm(
    { name: '', scope: 'read' as TokenScope, expiresOn: '' },
    async ({ name, scope, expiresOn }, { reset }) => {
      const token = await tokensApi.create({ name, scope, expiresAt: expiresOn ? endOfDay(expiresOn) : undefined });
      reset();
      onCreated(token);
    },
    { fields: ['name', 'scope', 'expiresAt'] },
  );
  const { scope } = form.values;

  return (
    <form className="card form form-inline" onSubmit={form.submit} aria-label="Create an API token">
      <h2>Create a token</h2>
      <FormError message={form.errors.general} />
      <div className="form-row">
        <TextField
          form={form}
          name="name"
          label="Name"
          hint="What it is for, e.g. “CRM sync”."
          required
          maxLength={100}
        />
        <FieldGroup label="Access" error={form.errors.fields.scope}>
          <Radios
            name="token-scope"
            choices={scopes.map((option) => ({
              value: option,
              label: scopeLabels[option].label,
              title: scopeLabels[option].hint,
            }))}
            value={scope}
            onChange={(next) => form.set('scope', next)}
          />
          <p className="field-hint">The token {scopeLabels[scope].hint}.</p>
        </FieldGroup>
        <TextField
          form={form}
          name="expiresOn"
          label="Expires on (optional)"
          errorOf="expiresAt"
          hint={`Works until the end of that day; at most ${maxLifeDays} days, which is also the default.`}
          type="date"
          min={daysFromToday(1)}
          max={daysFromToday(maxLifeDays - 1)}
        />
        <div className="form-row-action">
          <button type="submit" className="button button-primary" disabled={form.saving}>
            {form.saving ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </div>
    </form>
  );
}
