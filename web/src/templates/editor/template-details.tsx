import { choicesIn, Options } from '../../ui/choices.js';
import { Field } from '../../ui/form.js';
import { purposeLabels, type Purpose } from '../template-vocabulary.js';

export type TemplateDetails = { key: string; name: string; purpose: Purpose; description: string };

export const blankDetails: TemplateDetails = { key: '', name: '', purpose: 'service', description: '' };

/** A key from a name: "Tariff change notice" → "tariff-change-notice". */
export const keyFrom = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** What a new template is called and what it is for; the key is fixed once saved. */
export function TemplateDetailsFields({
  details,
  onChange,
  errors,
}: {
  details: TemplateDetails;
  onChange: (details: TemplateDetails) => void;
  errors: Record<string, string>;
}) {
  // The key follows the name until someone types a key of their own.
  const keyFollowsName = details.key === keyFrom(details.name);
  const setName = (name: string) => onChange({ ...details, name, key: keyFollowsName ? keyFrom(name) : details.key });
  return (
    <section className="card form" aria-label="Template details">
      <div className="form-row">
        <Field label="Name" htmlFor="template-name" error={errors.name}>
          <input
            id="template-name"
            required
            value={details.name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Tariff change notice"
          />
        </Field>
        <Field
          label="Key"
          htmlFor="template-key"
          error={errors.key}
          hint="How the API and batch runs name it. Cannot change later."
        >
          <input
            id="template-key"
            required
            value={details.key}
            onChange={(event) => onChange({ ...details, key: event.target.value })}
            placeholder="tariff-change-notice"
          />
        </Field>
        <Field
          label="Purpose"
          htmlFor="template-purpose"
          error={errors.purpose}
          hint="Decides the compliance rules and the consent a send needs."
        >
          <select
            id="template-purpose"
            value={details.purpose}
            onChange={(event) => onChange({ ...details, purpose: event.target.value as Purpose })}
          >
            <Options choices={choicesIn(purposeLabels)} />
          </select>
        </Field>
      </div>
      <Field label="Description" htmlFor="template-description" error={errors.description}>
        <input
          id="template-description"
          value={details.description}
          onChange={(event) => onChange({ ...details, description: event.target.value })}
          placeholder="When it is sent and why"
        />
      </Field>
    </section>
  );
}
