import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { templatesApi, type TemplateListItem, type TemplateVersion } from '../templates/templates.api.js';
import { Options } from '../ui/choices.js';
import { Field, FormActions, FormError, formErrors, submitWith, useSubmission } from '../ui/form.js';
import { ErrorNotice } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';

/** The data a send carries, as a form holds it: JSON text checked here before the server checks it against the template. */
class DataError extends Error {}

/** The data a form holds as text, as the object the API wants; throws a sentence a person can act on. */
function parseData(text: string): Record<string, unknown> | undefined {
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
function dataProblems(error: unknown): string | undefined {
  if (error instanceof DataError) return error.message;
  if (!(error instanceof ApiError)) return undefined;
  const problems = error.details
    .filter((detail) => /^(body\.)?data\./.test(detail.path))
    .map((detail) => `“${detail.path.replace(/^(body\.)?data\./, '')}” ${detail.message}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** A failed send split for its form: problems with the data go to the data field, the rest where they belong. */
function sendErrors(error: unknown, fieldNames: readonly string[]) {
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
function describeFields(version: TemplateVersion | undefined): string | undefined {
  const fields = declaredFields(version);
  const names = [...fields.required.map((name) => `${name} (required)`), ...fields.optional];
  return names.length ? names.join(', ') : undefined;
}

/** The sample data a published version carries, as the text a data field starts with. */
const sampleDataText = (version: TemplateVersion) =>
  Object.keys(version.sampleData).length ? JSON.stringify(version.sampleData, null, 2) : '';

/** The version a template sends now; undefined while it loads or when the template has none published. */
function usePublishedVersion(template: TemplateListItem | undefined) {
  const version = useApiData<TemplateVersion>(
    template?.published ? templatesApi.versionPath(template.key, template.published.number) : null,
  );
  // The answer for the previously chosen template is not this one's.
  const published = version.data?.templateId === template?.id ? version.data : undefined;
  return { published, error: template?.published ? version.error : undefined, reload: version.reload };
}

/** The published template to send, and which version that sends. */
function PublishedTemplateField({
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

/**
 * The form both ways of sending share, to one customer now or to a segment as a batch run: a published
 * template, the data it is sent with as JSON text, and between the two what else the send needs
 * (`children`, given the server's complaints about those fields). What the person typed as data is
 * kept per template; `prefill` starts it as the chosen version's sample data, otherwise a button offers it.
 */
export function SendForm({
  label,
  className = 'form',
  idPrefix,
  templates,
  fieldNames = [],
  prefill = false,
  unchosen,
  sharedData,
  rows,
  submitLabel,
  busyLabel,
  missing,
  onCancel,
  send,
  children,
  footnote,
}: {
  /** The form's accessible name. */
  label: string;
  className?: string;
  /** Starts the ids of the form's controls, e.g. `run` for `run-template`. */
  idPrefix: string;
  templates: TemplateListItem[];
  /** The server's names of the fields in `children`. */
  fieldNames?: readonly string[];
  prefill?: boolean;
  /** The template field's hint while no template is chosen. */
  unchosen?: string;
  /** Whose data the declared fields are and whose come from the record, after "The template uses …". */
  sharedData: string;
  rows: number;
  submitLabel: string;
  busyLabel: string;
  /** What else must be chosen before the form can be sent, as in "Choose a segment first". */
  missing?: string;
  onCancel: () => void;
  /** Sends the chosen template with the data; navigates away when it was accepted. */
  send: (templateKey: string, data: Record<string, unknown> | undefined) => Promise<void>;
  children?: (fieldErrors: Record<string, string>) => ReactNode;
  /** Said just above the buttons, such as where the communication goes. */
  footnote?: ReactNode;
}) {
  const [templateKey, setTemplateKey] = useState('');
  const [edited, setEdited] = useState<{ templateKey: string; text: string }>();
  const template = templates.find((candidate) => candidate.key === templateKey);
  const version = usePublishedVersion(template);
  const { published } = version;
  const sample = published ? sampleDataText(published) : '';
  const data = edited?.templateKey === templateKey ? edited.text : prefill ? sample : '';
  const fields = describeFields(published);
  const loadingVersion = Boolean(template) && !published && version.error === undefined;

  const submission = useSubmission(() => send(templateKey, parseData(data)));
  const { errors, dataError } = sendErrors(submission.error, ['template', 'data', ...fieldNames]);
  const absent = (!templateKey && 'a template') || missing;

  return (
    <form className={className} onSubmit={submitWith(submission.run)} noValidate aria-label={label}>
      <FormError message={errors.general} />
      <PublishedTemplateField
        id={`${idPrefix}-template`}
        templates={templates}
        value={templateKey}
        onChange={setTemplateKey}
        error={errors.fields.template}
        unchosen={unchosen}
      />
      {version.error !== undefined && <ErrorNotice error={version.error} onRetry={version.reload} />}
      {children?.(errors.fields)}
      <Field
        label="Data (JSON)"
        htmlFor={`${idPrefix}-data`}
        error={dataError}
        hint={
          !template
            ? `Choose a template first; ${prefill ? 'its sample data fills in here' : 'it says which data it uses'}.`
            : !published
              ? undefined
              : fields
                ? `The template uses ${fields}. ${sharedData}`
                : 'This template declares no data of its own.'
        }
      >
        <textarea
          id={`${idPrefix}-data`}
          className="comm-data"
          spellCheck={false}
          rows={rows}
          disabled={!published}
          placeholder={loadingVersion ? 'Loading the template’s data…' : '{"tariff": "Green Plus"}'}
          value={data}
          onChange={(event) => setEdited({ templateKey, text: event.target.value })}
        />
      </Field>
      {!prefill && sample && (
        <div>
          <button
            type="button"
            className="button button-small"
            onClick={() => setEdited({ templateKey, text: sample })}
          >
            Fill in the template’s sample data
          </button>
        </div>
      )}
      {footnote}
      <FormActions
        label={submitLabel}
        busyLabel={busyLabel}
        saving={submission.saving}
        disabled={!published || Boolean(absent)}
        title={absent ? `Choose ${absent} first` : undefined}
        onCancel={onCancel}
      />
    </form>
  );
}
