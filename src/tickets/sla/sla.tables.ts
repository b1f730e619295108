import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { TicketKind, TicketPriority } from '../tickets.tables.js';
import type { WeeklyHours } from './business-time.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export type Holiday = { date: string; name: string };

/** When the service desk works: hours per weekday in a time zone, and the days it does not. */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    timeZone: text('time_zone').notNull(),
    weeklyHours: jsonb('weekly_hours').$type<WeeklyHours>().notNull(),
    holidays: jsonb('holidays').$type<Holiday[]>().notNull().default([]),
    /** The calendar of a new policy that names none; exactly one calendar is the default. */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('business_calendars_default_idx')
      .on(table.isDefault)
      .where(sql`${table.isDefault}`),
  ],
);

/**
 * Service-level targets for tickets of a kind and priority, in business minutes of a calendar. A
 * policy without a kind (or priority) matches any; the most specific match applies.
 */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').$type<TicketKind>(),
    priority: text('priority').$type<TicketPriority>(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [unique('sla_policies_match_unique').on(table.kind, table.priority).nullsNotDistinct()],
);
