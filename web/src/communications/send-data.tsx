import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api/client.js';
import { templatesApi, type TemplateListItem, type TemplateVersion } from '../templates/templates.api.js';
import { Options } from '../ui/choices.js';
import { Field, formErrors } from '../ui/form.js';
import { useApiData } from '../ui/use-api-data.js';

/** The data a send carries, as a form holds it: JSON text checked here before the server checks it against the template. */
export class DataError extends Error {}

/** The data a form holds as text, as the object the API wants; throws a sentence a person can act on. */
export function parseData(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataError(`Data is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new DataError('Data must be a JSON object, such as {"tariff": "Green Plus"}.');
  return parsed as Record<string, unknown>;
}

/**
 * "“tariff” is required by the template; “monthly” must be number": every problem the server (or parseData)
 * found in the data, as one sentence for the data field. The quoted name keeps the field's label off its front.
 */
export function dataProblems(error: unknown): string | undefined {
  if (error instanceof DataError) return error.message;
  if (!(error instanceof ApiError)) return undefined;
  const problems = error.details
    .filter((detail) => /^(body\.)?data\./.test(detail.path))
    .map((detail) => `“${detail.path.replace(/^(body\.)?data\./, '')}” ${detail.message}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** A failed send split for its form: problems with the data go to the data field, the rest where they belong. */
export function sendErrors(error: unknown, fieldNames: readonly string[]) {
  const errors = formErrors(error instanceof DataError ? undefined : error, fieldNames);
  return { errors, dataError: dataProblems(error) ?? errors.fields.data };
}

/** Which fields the published version declares, required ones first. */
function declaredFields(version: TemplateVersion | undefined): { required: string[]; optional: string[] } {
  const schema = (version?.dataSchema ?? {}) as { required?: string[]; properties?: Record<string, unknown> };
  const required = schema.required ?? [];
  return { required, optional: Object.keys(schema.properties ?? {}).filter((name) => !required.includes(name)) };
}

/** "tariff (required), effective (required), note": the declared fields in a sentence, or undefined when there are none. */
export function describeFields(version: TemplateVersion | undefined): string | undefined {
  const fields = declaredFields(version);
  const names = [...fields.required.map((name) => `${name} (required)`), ...fields.optional];
  return names.length ? names.join(', ') : undefined;
}

/** The sample data a published version carries, as the text a data field starts with. */
export const sampleDataText = (version: TemplateVersion) =>
  Object.keys(version.sampleData).length ? JSON.stringify(version.sampleData, null, 2) : '';

/** The version a template sends now; undefined while it loads or when the template has none published. */
export function usePublishedVersion(template: TemplateListItem | undefined) {
  const version = useApiData<TemplateVersion>(
    template?.published ? templatesApi.versionPath(template.key, template.published.number) : null,
  );
  // The answer for the previously chosen template is not this one's.
  const published = version.data?.templateId === template?.id ? version.data : undefined;
  return { published, error: template?.published ? version.error : undefined, reload: version.reload };
}

/** The published template to send, and which version that sends. */
export function PublishedTemplateField({
  id,
  templates,
  value,
  onChange,
  error,
  unchosen,
}: {
  id: string;
  templates: TemplateListItem[];
  value: string;
  onChange: (key: string) => void;
  error?: string;
  /** The hint while no template is chosen. */
  unchosen?: string;
}) {
  const template = templates.find((candidate) => candidate.key === value);
  return (
    <Field
      label="Template"
      htmlFor={id}
      error={error}
      hint={
        template
          ? `${template.description || template.name} · sends published version ${template.published?.number}`
          : unchosen
      }
    >
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose a published template</option>
        <Options
          choices={templates.map((candidate) => ({
            value: candidate.key,
            label: `${candidate.name} (v${candidate.published?.number})`,
          }))}
        />
      </select>
    </Field>
  );
}

/** The data a send carries, as JSON text. */
export function SendDataField({
  id,
  value,
  onChange,
  error,
  hint,
  ...textarea
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  hint: ReactNode;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <Field label="Data (JSON)" htmlFor={id} error={error} hint={hint}>
      <textarea
        {...textarea}
        id={id}
        className="comm-data"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  );
}
