import { sql } from 'drizzle-orm';
import { customType, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { documents, documentVersions } from '../documents.tables.js';

/** Waiting for its job, found (text, possibly empty), or failed with the reason. */
export const extractionStatuses = ['pending', 'done', 'failed'] as const;
export type ExtractionStatus = (typeof extractionStatuses)[number];

export const extractionMethods = ['text', 'ocr', 'none'] as const;
export type ExtractionMethodColumn = (typeof extractionMethods)[number];

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The text of one document version, as the extraction job found it; search reads the current
 * version's, a version comparison any two. Written once the job ends; never changed after.
 */
export const documentTexts = pgTable(
  'document_texts',
  {
    versionId: uuid('version_id')
      .primaryKey()
      .references(() => documentVersions.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** "major.minor", as documents.current_version names the current one. */
    version: text('version').notNull(),
    /** The version's bytes: a version with the same content reuses an earlier extraction. */
    contentSha256: text('content_sha256').notNull(),
    status: text('status').$type<ExtractionStatus>().notNull().default('pending'),
    method: text('method').$type<ExtractionMethodColumn>(),
    /** Why extraction failed, in words a person can act on. */
    reason: text('reason'),
    text: text('text').notNull().default(''),
    /**
     * The text under the 'english' configuration (weight C); the function is defined by the
     * migration and bounds the text, as a tsvector holds at most 1 MB.
     */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`document_text_search_vector(text)`),
    createdAt: instant('created_at').notNull(),
    extractedAt: instant('extracted_at'),
  },
  (table) => [
    uniqueIndex('document_texts_version_idx').on(table.documentId, table.version),
    index('document_texts_search_idx').using('gin', table.search),
    index('document_texts_content_idx').on(table.contentSha256, table.status),
    index('document_texts_pending_idx')
      .on(table.createdAt)
      .where(sql`status = 'pending'`),
  ],
);
