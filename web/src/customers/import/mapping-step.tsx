import { useState } from 'react';
import { Options, Radios } from '../../ui/choices.js';
import { FieldGroup, FormError, formErrors, submitWith, useSubmission } from '../../ui/form.js';
import { problemsUnder } from '../field-problems.js';
import { importsApi, type CustomerImport, type ImportMode, type MappableField, type UpsertKey } from './imports.api.js';

type Props = {
  customerImport: CustomerImport;
  sample: string[][];
  initialMapping: Record<string, string>;
  fields: MappableField[];
  onStarted: (started: CustomerImport) => void;
  onCancel: () => void;
};

const groups = [
  { label: 'Customer fields', holds: (field: string) => !field.includes('.') },
  { label: 'Custom attributes', holds: (field: string) => field.startsWith('attributes.') },
  { label: 'Consent', holds: (field: string) => field.startsWith('consent.') },
];

function FieldSelect({
  column,
  value,
  fields,
  onChange,
}: {
  column: string;
  value: string;
  fields: MappableField[];
  onChange: (field: string) => void;
}) {
  return (
    <select aria-label={`Field for column ${column}`} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">Do not import</option>
      {groups.map((group) => {
        const members = fields.filter((field) => group.holds(field.field));
        return (
          members.length > 0 && (
            <optgroup key={group.label} label={group.label}>
              <Options choices={members.map((field) => ({ value: field.field, label: field.label }))} />
            </optgroup>
          )
        );
      })}
    </select>
  );
}

/** Step 2: which customer field each column fills, prefilled from the header names, and how to import. */
export function MappingStep({ customerImport, sample, initialMapping, fields, onStarted, onCancel }: Props) {
  const [mapping, setMapping] = useState(initialMapping);
  const [upsertBy, setUpsertBy] = useState<NonNullable<UpsertKey>>(customerImport.upsertBy ?? 'email');
  const [mode, setMode] = useState<NonNullable<ImportMode>>(customerImport.mode);
  const [dryRun, setDryRun] = useState(customerImport.dryRun);
  const [partial, setPartial] = useState(customerImport.partial);
  const submission = useSubmission(async () => {
    const chosen = Object.fromEntries(Object.entries(mapping).filter(([, field]) => field));
    onStarted(await importsApi.start(customerImport.id, { mapping: chosen, upsertBy, mode, dryRun, partial }));
  });
  const errors = formErrors(submission.error, ['upsertBy']);
  const columnErrors = problemsUnder(submission.error, 'mapping');
  const submit = submitWith(submission.run);
  const mapped = Object.values(mapping).filter(Boolean).length;

  return (
    <form className="stack" onSubmit={submit}>
      <FormError message={errors.general} />
      <div className="table-wrap">
        <table className="table mapping-table">
          <thead>
            <tr>
              <th>Column in {customerImport.fileName}</th>
              <th>First values</th>
              <th>Import as</th>
            </tr>
          </thead>
          <tbody>
            {customerImport.columns.map((column, index) => (
              <tr key={column} className={mapping[column] ? undefined : 'row-inactive'}>
                <td className="strong">{column}</td>
                <td className="sample-cell">
                  {sample
                    .slice(0, 3)
                    .map((row) => row[index] ?? '')
                    .filter(Boolean)
                    .join(' · ') || <span className="muted">empty</span>}
                </td>
                <td className={columnErrors[column] ? 'field-invalid' : undefined}>
                  <FieldSelect
                    column={column}
                    value={mapping[column] ?? ''}
                    fields={fields}
                    onChange={(field) => setMapping({ ...mapping, [column]: field })}
                  />
                  {columnErrors[column] && <p className="field-error">{columnErrors[column]}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card form">
        <h2>How to import</h2>
        <FieldGroup label="Rows that match a customer">
          <Radios
            name="mode"
            column
            choices={[
              { value: 'upsert', label: 'Update the customer, and add the other rows as new customers' },
              {
                value: 'insert',
                label: 'Only add new customers: reject a row that matches a customer, and change no one',
              },
            ]}
            value={mode}
            onChange={setMode}
          />
        </FieldGroup>
        <FieldGroup label="Match existing customers by" error={errors.fields.upsertBy}>
          <Radios
            name="upsert-by"
            choices={[
              { value: 'email', label: 'Email address' },
              { value: 'external_id', label: 'External ID' },
            ]}
            value={upsertBy}
            onChange={setUpsertBy}
          />
          <p className="field-hint">A row without the key (an empty email, say) always becomes a new customer.</p>
        </FieldGroup>
        <div className="choice-column">
          <label className="checkbox">
            <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
            Dry run: check every row and count what would happen, but change nothing
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={partial} onChange={(event) => setPartial(event.target.checked)} />
            Partial import: import the valid rows even if others are rejected
          </label>
        </div>
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel}>
            Choose another file
          </button>
          <button type="submit" className="button button-primary" disabled={mapped === 0 || submission.saving}>
            {submission.saving ? 'Starting…' : dryRun ? 'Start dry run' : 'Start import'}
          </button>
        </div>
      </section>
    </form>
  );
}
