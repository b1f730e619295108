import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { documentTypes, fieldKinds } from './document-types.tables.js';

/** A field as an admin defines it; a choice field lists its choices, other kinds none. */
const fieldBody = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'must start with a lower-case letter, then letters, digits or _ (at most 40)')
      .describe('Where the value is stored, e.g. counterparty'),
    label: z.string().trim().min(1).max(100),
    kind: z.enum(fieldKinds),
    required: z.boolean().default(false),
    choices: z.array(z.string().trim().min(1).max(100)).max(100).default([]).describe('For a choice field: its values'),
  })
  .superRefine((field, context) => {
    if (field.kind === 'choice' && field.choices.length === 0)
      context.addIssue({ code: 'custom', path: ['choices'], message: 'a choice field needs at least one choice' });
    if (field.kind !== 'choice' && field.choices.length > 0)
      context.addIssue({ code: 'custom', path: ['choices'], message: `a ${field.kind} field has no choices` });
    if (new Set(field.choices).size !== field.choices.length)
      context.addIssue({ code: 'custom', path: ['choices'], message: 'lists a choice twice' });
  });

const fieldsBody = z
  .array(fieldBody)
  .max(50)
  .superRefine((fields, context) => {
    const seen = new Set<string>();
    fields.forEach((field, index) => {
      if (seen.has(field.key))
        context.addIssue({ code: 'custom', path: [index, 'key'], message: `${field.key} is used by another field` });
      seen.add(field.key);
    });
  });

export const documentTypeBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2_000).default(''),
  fields: fieldsBody,
});
export type DocumentTypeInput = z.infer<typeof documentTypeBody>;

export const updateDocumentTypeBody = z.strictObject({
  name: documentTypeBody.shape.name.optional(),
  description: z.string().trim().max(2_000).optional(),
  fields: fieldsBody.optional(),
});
export type DocumentTypeChange = z.infer<typeof updateDocumentTypeBody>;

const fieldResponse = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(fieldKinds),
  required: z.boolean(),
  choices: z.array(z.string()),
});

export const documentTypeResponse = createSelectSchema(documentTypes)
  .pick({ id: true, description: true, createdAt: true, updatedAt: true })
  .extend({
    name: z.string(),
    fields: z.array(fieldResponse),
    documentCount: z.number().int().describe('Documents of this type that are not deleted'),
  })
  .describe('DocumentType');

/** A metadata value: text, a number, a date as YYYY-MM-DD, or yes/no. */
export const metadataValue = z.union([z.string(), z.number(), z.boolean()]);
export const metadataResponse = z
  .record(z.string(), metadataValue)
  .describe("The values of the document type's fields, by key; dates as YYYY-MM-DD");
