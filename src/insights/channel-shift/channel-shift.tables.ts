import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { announcements } from '../../announcements/announcements.tables.js';
import { customers, segments, type Channel } from '../../customers/customers.tables.js';

/** Items a year by channel, and the rate of each channel (thousandths of a cent) the plan used. */
export type ChannelFigures = Partial<Record<Channel, number>>;

/**
 * A started move of a segment's letter and fax customers to email or the portal: the plan as it
 * was computed at the start, so the realised saving is measured against what was promised.
 */
export const channelShifts = pgTable(
  'channel_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    segmentId: uuid('segment_id').references(() => segments.id, { onDelete: 'set null' }),
    segmentName: text('segment_name').notNull(),
    target: text('target').$type<'email' | 'portal'>().notNull(),
    volumes: jsonb('volumes').$type<ChannelFigures>().notNull(),
    rates: jsonb('rates').$type<ChannelFigures>().notNull(),
    customerCount: integer('customer_count').notNull(),
    plannedSavingMillicents: bigint('planned_saving_millicents', { mode: 'number' }).notNull(),
    announcementId: uuid('announcement_id').references(() => announcements.id, { onDelete: 'set null' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [index('channel_shifts_created_idx').on(table.createdAt, table.id)],
);

/** The customers the shift set out to move, with the channel each was reached by and their yearly items. */
export const channelShiftCustomers = pgTable(
  'channel_shift_customers',
  {
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => channelShifts.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    fromChannel: text('from_channel').$type<'letter' | 'fax'>().notNull(),
    yearlyItems: integer('yearly_items').notNull(),
  },
  (table) => [primaryKey({ columns: [table.shiftId, table.customerId] })],
);
