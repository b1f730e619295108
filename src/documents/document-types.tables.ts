import { customType, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The kinds of value a document type's field holds. Money is a number; its currency is the brand's. */
export const fieldKinds = ['text', 'number', 'date', 'choice', 'boolean'] as const;
export type FieldKind = (typeof fieldKinds)[number];

/** One field of a document type: the key its value is stored under, what people read, and its rules. */
export type DocumentTypeField = {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  /** The allowed values of a choice field; empty for every other kind. */
  choices: string[];
};

/** A metadata value as stored: dates as YYYY-MM-DD text. */
export type MetadataValue = string | number | boolean;
export type Metadata = Record<string, MetadataValue>;

const languageSortedText = customType<{ data: string }>({ dataType: () => 'text collate "und-x-icu"' });
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A kind of document an admin defines (Contract, Invoice) with the metadata fields its documents
 * carry. Fields live on the type as one list, read and checked together.
 */
export const documentTypes = pgTable('document_types', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: languageSortedText('name').notNull().unique(),
  description: text('description').notNull().default(''),
  fields: jsonb('fields').$type<DocumentTypeField[]>().notNull().default([]),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
