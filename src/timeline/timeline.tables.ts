import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/customers.tables.js';

/**
 * One row per touchpoint with a customer. Each domain appends its own kinds (note, consent,
 * communication, ticket, document, portal) with a title and a link to its record; the timeline
 * knows none of them.
 */
export const timelineEntries = pgTable(
  'timeline_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** The record this entry is about, e.g. ("communication", id), so the UI can link to it. */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    actorLabel: text('actor_label'),
  },
  (table) => [index('timeline_entries_customer_idx').on(table.customerId, table.at, table.id)],
);
