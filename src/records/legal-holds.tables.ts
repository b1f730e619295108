import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** The objects a hold can name one by one. */
export const heldObjectTypes = ['customer', 'document', 'ticket', 'communication'] as const;
export type HeldObjectType = (typeof heldObjectTypes)[number];

/**
 * What one line of a hold's scope names: an object of a type, or a saved search over documents and
 * communications (`query`, held by what it matches once the search domain answers it).
 */
export const holdScopeKinds = [...heldObjectTypes, 'query'] as const;
export type HoldScopeKind = (typeof holdScopeKinds)[number];

export type HoldQuery = { domain: 'documents' | 'communications' | 'all'; q: string };

/** A legal hold on a matter: active from placement until released (with a reason); never deleted. */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    matter: text('matter').notNull(),
    description: text('description').notNull().default(''),
    placedBy: uuid('placed_by').references(() => users.id, { onDelete: 'set null' }),
    placedByLabel: text('placed_by_label').notNull(),
    placedAt: instant('placed_at').notNull(),
    releasedBy: uuid('released_by').references(() => users.id, { onDelete: 'set null' }),
    releasedByLabel: text('released_by_label'),
    releasedAt: instant('released_at'),
    releaseReason: text('release_reason'),
  },
  (table) => [index('legal_holds_placed_idx').on(table.placedAt, table.id)],
);

/**
 * One line of a hold's scope. A customer line also holds that customer's communications (and their
 * archived copies), tickets and linked documents; a ticket or communication line also holds the
 * documents linked to it.
 */
export const legalHoldScopes = pgTable(
  'legal_hold_scopes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holdId: uuid('hold_id')
      .notNull()
      .references(() => legalHolds.id),
    kind: text('kind').$type<HoldScopeKind>().notNull(),
    /** The object, for every kind but `query`. */
    targetId: uuid('target_id'),
    /** The saved search, for `query`. */
    query: jsonb('query').$type<HoldQuery>(),
    addedAt: instant('added_at').notNull(),
  },
  (table) => [
    index('legal_hold_scopes_target_idx').on(table.kind, table.targetId),
    index('legal_hold_scopes_hold_idx').on(table.holdId),
    check(
      'legal_hold_scopes_names_something',
      sql`(${table.kind} = 'query') = (${table.query} is not null) and (${table.kind} = 'query') = (${table.targetId} is null)`,
    ),
  ],
);
