import {
  date,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { teams, users } from '../users/users.tables.js';
import type { KpiFilters } from './kpis/kpi-definition.js';

/**
 * A target on one KPI (narrowed by its filters) for a period, owned by a person or a team, with the
 * business driver it serves; a team's goal names the company goal it rolls up to as its parent.
 */
export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kpiKey: text('kpi_key').notNull(),
    filters: jsonb('filters').$type<KpiFilters>().notNull().default({}),
    target: doublePrecision('target').notNull(),
    /** First and last day of the period, both included (UTC). */
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    ownerTeamId: uuid('owner_team_id').references(() => teams.id, { onDelete: 'set null' }),
    driver: text('driver').notNull().default(''),
    /** A goal removed leaves its children standing on their own. */
    parentId: uuid('parent_id').references((): AnyPgColumn => goals.id, { onDelete: 'set null' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [
    index('goals_parent_idx').on(table.parentId),
    index('goals_owner_user_idx').on(table.ownerUserId),
    index('goals_owner_team_idx').on(table.ownerTeamId),
  ],
);
