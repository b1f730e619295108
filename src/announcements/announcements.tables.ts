import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { batchRuns } from '../communications/communications.tables.js';
import { segments } from '../customers/customers.tables.js';
import { templates } from '../templates/templates.tables.js';
import { users } from '../users/users.tables.js';

export const announcementStatuses = ['draft', 'published', 'closed'] as const;
export type AnnouncementStatus = (typeof announcementStatuses)[number];

/**
 * A change told to staff teams (none named: everyone on staff) and, optionally, to a customer
 * segment by a published template, sent as a batch run when the announcement is published.
 */
export const announcements = pgTable(
  'announcements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    status: text('status').$type<AnnouncementStatus>().notNull().default('draft'),
    teamIds: uuid('team_ids').array().notNull().default([]),
    /** The customer mailing: all three set, or none. */
    segmentId: uuid('segment_id').references(() => segments.id, { onDelete: 'set null' }),
    templateId: uuid('template_id').references(() => templates.id),
    customerData: jsonb('customer_data').$type<Record<string, unknown>>().notNull().default({}),
    batchRunId: uuid('batch_run_id').references(() => batchRuns.id),
    /** Hours after publishing (and again after each reminder) that those who have not acknowledged are reminded. */
    remindAfterHours: integer('remind_after_hours').notNull().default(24),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [index('announcements_created_idx').on(table.createdAt, table.id)],
);

/** Who an announcement was published to, fixed at publishing, and when each acknowledged it. */
export const announcementRecipients = pgTable(
  'announcement_recipients',
  {
    announcementId: uuid('announcement_id')
      .notNull()
      .references(() => announcements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    primaryKey({ columns: [table.announcementId, table.userId] }),
    index('announcement_recipients_user_idx').on(table.userId, table.acknowledgedAt),
  ],
);
