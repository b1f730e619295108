import { useState } from 'react';
import { ApiError } from '../../api/client.js';
import { choicesIn } from '../../ui/choices.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { TextAreaField, TextField, useForm } from '../../ui/form.js';
import {
  documentTypesApi,
  fieldKindLabels,
  type DocumentType,
  type DocumentTypeInput,
  type FieldKind,
} from './document-types.api.js';

/** A field as the dialog edits it: choices as one line of text, separated by commas. */
type FieldDraft = { key: string; label: string; kind: FieldKind; required: boolean; choices: string };

const emptyField = (): FieldDraft => ({ key: '', label: '', kind: 'text', required: false, choices: '' });

/** The key a label suggests: "End date" → endDate. */
const keyOf = (label: string) =>
  label
    .trim()
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase()))
    .join('')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40);

/** The server's problems with `body.fields.<n>.<part>`, by row. */
function fieldProblems(error: unknown): Record<number, string> {
  if (!(error instanceof ApiError)) return {};
  const problems: Record<number, string> = {};
  for (const detail of error.details) {
    const match = /^body\.fields\.(\d+)\.?(.*)$/.exec(detail.path);
    if (match) problems[Number(match[1])] ??= `${match[2] || 'field'} ${detail.message}`;
  }
  return problems;
}

/** A new document type, or a change to one: its name, description and fields, each with key, label, kind and rules. */
export function DocumentTypeDialog({
  type,
  onSaved,
  onClose,
}: {
  type: DocumentType | null;
  onSaved: () => Promise<void>;
  onClose: () => void;
}) {
  const [fields, setFields] = useState<FieldDraft[]>(
    type?.fields.map((field) => ({ ...field, choices: field.choices.join(', ') })) ?? [emptyField()],
  );
  const form = useForm(
    { name: type?.name ?? '', description: type?.description ?? '' },
    async ({ name, description }) => {
      const input: DocumentTypeInput = {
        name: name.trim(),
        description: description.trim(),
        fields: fields.map((field) => ({
          key: field.key.trim() || keyOf(field.label),
          label: field.label.trim(),
          kind: field.kind,
          required: field.required,
          choices:
            field.kind === 'choice'
              ? field.choices
                  .split(',')
                  .map((choice) => choice.trim())
                  .filter(Boolean)
              : [],
        })),
      };
      await (type ? documentTypesApi.update(type.id, input) : documentTypesApi.create(input));
      await onSaved();
      onClose();
    },
    { fields: ['name', 'description'] },
  );
  const problems = fieldProblems(form.error);
  const change = (index: number, patch: Partial<FieldDraft>) =>
    setFields((current) => current.map((field, at) => (at === index ? { ...field, ...patch } : field)));
  return (
    <DialogForm
      title={type ? `Edit ${type.name}` : 'New document type'}
      onClose={onClose}
      form={form}
      submitLabel={type ? 'Save type' : 'Create type'}
      intro={
        type && type.documentCount > 0 ? (
          <p className="muted">
            {type.documentCount} documents have this type; their metadata is checked against the new fields when it next
            changes.
          </p>
        ) : undefined
      }
    >
      <TextField form={form} name="name" label="Name" required autoFocus />
      <TextAreaField form={form} name="description" label="Description" rows={2} />
      <fieldset className="documents-type-fields">
        <legend>Fields</legend>
        {fields.map((field, index) => {
          const id = `${form.idOf('fields')}-${index}`;
          return (
            <div key={index} className="documents-type-field" role="group" aria-label={`Field ${index + 1}`}>
              <label htmlFor={`${id}-label`}>
                Label
                <input
                  id={`${id}-label`}
                  required
                  value={field.label}
                  onChange={(event) => change(index, { label: event.target.value })}
                />
              </label>
              <label htmlFor={`${id}-key`}>
                Key
                <input
                  id={`${id}-key`}
                  placeholder={keyOf(field.label) || 'key'}
                  value={field.key}
                  onChange={(event) => change(index, { key: event.target.value })}
                />
              </label>
              <label htmlFor={`${id}-kind`}>
                Kind
                <select
                  id={`${id}-kind`}
                  value={field.kind}
                  onChange={(event) => change(index, { kind: event.target.value as FieldKind })}
                >
                  {choicesIn(fieldKindLabels).map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              </label>
              {field.kind === 'choice' && (
                <label htmlFor={`${id}-choices`}>
                  Choices
                  <input
                    id={`${id}-choices`}
                    placeholder="automatic, manual"
                    value={field.choices}
                    onChange={(event) => change(index, { choices: event.target.value })}
                  />
                </label>
              )}
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={field.required}
                  onChange={(event) => change(index, { required: event.target.checked })}
                />
                Required
              </label>
              <button
                type="button"
                className="button button-small"
                onClick={() => setFields((current) => current.filter((_, at) => at !== index))}
              >
                Remove
              </button>
              {problems[index] && <p className="field-error">{problems[index]}</p>}
            </div>
          );
        })}
        <button type="button" className="button" onClick={() => setFields((current) => [...current, emptyField()])}>
          Add field
        </button>
      </fieldset>
    </DialogForm>
  );
}
