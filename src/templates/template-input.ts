import type { ChannelBodies } from '../rendering/types.js';
import { AppError, inBody } from '../shared/errors.js';
import { isValidDataSchema } from './send-data.js';
import type { LanguageVariants, TemplatePurpose } from './templates.tables.js';

export type VersionInput = {
  variants: LanguageVariants;
  defaultLanguage: string;
  dataSchema?: Record<string, unknown>;
  sampleData?: Record<string, unknown>;
  changeNote?: string;
};

export type TemplateInput = {
  key: string;
  name: string;
  purpose: TemplatePurpose;
  description?: string;
} & VersionInput;

/** Refuses a version without its default language's variant, an empty variant or an invalid data schema. */
export function checkVersionInput(input: VersionInput) {
  const problems = [];
  if (!input.variants[input.defaultLanguage])
    problems.push({
      path: 'defaultLanguage',
      message: `has no variant; the variants are ${Object.keys(input.variants).join(', ')}`,
    });
  for (const [language, bodies] of Object.entries(input.variants)) {
    if (Object.values(bodies).every((body) => !body))
      problems.push({ path: `variants.${language}`, message: 'has no channel body' });
  }
  const schemaError = input.dataSchema ? isValidDataSchema(input.dataSchema) : undefined;
  if (schemaError) problems.push({ path: 'dataSchema', message: `is not a valid JSON Schema: ${schemaError}` });
  if (problems.length) {
    const details = inBody(problems);
    throw new AppError(
      'validation_failed',
      'template.invalid',
      details.map((p) => `${p.path}: ${p.message}`).join('; '),
      details,
    );
  }
}

/** Every text field of a version as "language.channel.field" → source, for diffs. */
export function flatten(variants: LanguageVariants): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [language, bodies] of Object.entries(variants)) {
    for (const [channel, content] of Object.entries(bodies as ChannelBodies)) {
      for (const [field, value] of Object.entries(content ?? {}))
        fields[`${language}.${channel}.${field}`] = String(value);
    }
  }
  return fields;
}
