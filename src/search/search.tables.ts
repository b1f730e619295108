import { sql } from 'drizzle-orm';
import { customType, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { communications } from '../communications/communications.tables.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * The searchable text of an archived communication, read from its archived copy by the indexing
 * job (an email's subject and body, a letter's PDF text, an SMS or portal message's words). Kept
 * apart from `communications`, whose rows delivery writes often and whose indexes it pays for.
 */
export const communicationTexts = pgTable(
  'communication_texts',
  {
    communicationId: uuid('communication_id')
      .primaryKey()
      .references(() => communications.id, { onDelete: 'cascade' }),
    /** What a result is called: an email's subject, else the template's name. */
    title: text('title').notNull(),
    text: text('text').notNull().default(''),
    /** Why the archived copy could not be read; the communication is still found by its title. */
    reason: text('reason'),
    /** Title (weight A) and text (C) under the 'english' configuration, bounded as for documents. */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`communication_text_search_vector(title, text)`),
    indexedAt: instant('indexed_at').notNull(),
  },
  (table) => [index('communication_texts_search_idx').using('gin', table.search)],
);

/**
 * How far the communication indexer has read, in the communications' creation order: the
 * (created_at, id) of the last one it no longer needs to look at.
 */
export const searchIndexState = pgTable('search_index_state', {
  name: text('name').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 6 }).notNull(),
  id: uuid('id').notNull(),
});

/**
 * Communications the indexer passed while they were still on their way (not yet archived); each run
 * looks at them again until they are archived (and indexed) or ended without a copy.
 */
export const searchWaitingCommunications = pgTable('search_waiting_communications', {
  communicationId: uuid('communication_id')
    .primaryKey()
    .references(() => communications.id, { onDelete: 'cascade' }),
});
