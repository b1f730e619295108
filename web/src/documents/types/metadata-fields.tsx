import { ApiError } from '../../api/client.js';
import { Facts } from '../../ui/facts.js';
import { Field } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import type { DocumentType, MetadataValue, TypeField } from './document-types.api.js';

/** Metadata as a form holds it: every value as the text of its control ('true'/'false' for yes/no). */
export type MetadataDraft = Record<string, string>;

/** A document's metadata as a form starts with it. */
export const draftOf = (metadata: Record<string, MetadataValue>): MetadataDraft =>
  Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)]));

/** Only the type's own fields, empty ones left out: what is sent for a type. */
export const metadataOf = (type: DocumentType | undefined, draft: MetadataDraft): MetadataDraft =>
  Object.fromEntries(
    (type?.fields ?? []).flatMap((field) => {
      const value = draft[field.key];
      return value ? [[field.key, value] as const] : [];
    }),
  );

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A value as people read it: dates in their locale, numbers grouped, yes/no in words. */
export function metadataText(field: TypeField, value: MetadataValue | undefined): string {
  if (value === undefined || value === '') return '—';
  if (field.kind === 'boolean') return value === true || value === 'true' ? 'Yes' : 'No';
  if (field.kind === 'number' && typeof value === 'number') return formatNumber(value);
  if (field.kind === 'date' && typeof value === 'string') return dateFormat.format(new Date(`${value}T00:00:00Z`));
  return String(value);
}

/** The server's problems with `body.metadata.<key>`, by key. */
export function metadataProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const problems: Record<string, string> = {};
  for (const detail of error.details) {
    const key = /^body\.metadata\.(.+)$/.exec(detail.path)?.[1];
    if (key) problems[key] ??= detail.message;
  }
  return problems;
}

/** One control per field of the type, of its kind, with the server's problem next to it. */
export function MetadataInputs({
  type,
  values,
  onChange,
  error,
  idPrefix,
}: {
  type: DocumentType | undefined;
  values: MetadataDraft;
  onChange: (values: MetadataDraft) => void;
  error: unknown;
  idPrefix: string;
}) {
  if (!type) return null;
  const problems = metadataProblems(error);
  const set = (key: string, value: string) => onChange({ ...values, [key]: value });
  return (
    <fieldset className="documents-metadata-inputs">
      <legend>{type.name}</legend>
      {type.fields.length === 0 && <p className="muted">This type has no fields.</p>}
      {type.fields.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const value = values[field.key] ?? '';
        const problem = problems[field.key];
        const common = {
          id,
          'aria-invalid': problem ? (true as const) : undefined,
          'aria-describedby': problem ? `${id}-error` : undefined,
        };
        if (field.kind === 'boolean')
          return (
            <label key={field.key} className="checkbox">
              <input
                type="checkbox"
                checked={value === 'true'}
                onChange={(event) => set(field.key, String(event.target.checked))}
              />
              {field.label}
            </label>
          );
        return (
          <Field key={field.key} label={field.label} htmlFor={id} error={problem}>
            {field.kind === 'choice' ? (
              <select
                {...common}
                required={field.required}
                value={value}
                onChange={(event) => set(field.key, event.target.value)}
              >
                <option value="">{field.required ? 'Choose…' : '(none)'}</option>
                {field.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type={field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text'}
                step={field.kind === 'number' ? 'any' : undefined}
                required={field.required}
                value={value}
                onChange={(event) => set(field.key, event.target.value)}
              />
            )}
          </Field>
        );
      })}
    </fieldset>
  );
}

/** The type's fields and a document's values, for reading. */
export function MetadataFacts({ type, metadata }: { type: DocumentType; metadata: Record<string, MetadataValue> }) {
  return (
    <Facts
      label={`${type.name} metadata`}
      facts={type.fields.map((field) => [field.label, metadataText(field, metadata[field.key])] as const)}
    />
  );
}
