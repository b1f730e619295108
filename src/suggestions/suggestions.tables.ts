import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.js';

export const suggestionStatuses = ['open', 'under_review', 'planned', 'done', 'declined'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

/** What a suggestion is about: a ticket queue, a template, a workflow of suggestion-links.ts, or a KPI. */
export const suggestionLinkKinds = ['queue', 'template', 'workflow', 'kpi'] as const;
export type SuggestionLinkKind = (typeof suggestionLinkKinds)[number];

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** An employee's proposal to change how work is done; owners move it through suggestion-lifecycle.ts. */
export const suggestions = pgTable(
  'suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    linkKind: text('link_kind').$type<SuggestionLinkKind>(),
    /** A queue's or template's id, a workflow's or KPI's key. */
    linkId: text('link_id'),
    status: text('status').$type<SuggestionStatus>().notNull().default('open'),
    statusReason: text('status_reason').notNull().default(''),
    statusChangedAt: at('status_changed_at'),
    statusChangedBy: uuid('status_changed_by').references(() => users.id, { onDelete: 'set null' }),
    /** Kept with each vote in the same transaction, so the list sorts by it with an index. */
    votes: integer('votes').notNull().default(0),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (table) => [
    index('suggestions_votes_idx').on(table.votes, table.createdAt, table.id),
    index('suggestions_created_idx').on(table.createdAt, table.id),
    index('suggestions_status_idx').on(table.status, table.votes),
  ],
);

/** One vote per person per suggestion: a second vote takes the first back. */
export const suggestionVotes = pgTable(
  'suggestion_votes',
  {
    suggestionId: uuid('suggestion_id')
      .notNull()
      .references(() => suggestions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: at('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.suggestionId, table.userId] })],
);
