import { date, doublePrecision, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every KPI's facts summed per UTC day and per the dimensions its filters read (kpi-dimensions.ts),
 * so a period of closed days is read from a few thousand rows instead of a year of communications.
 * Filled by the rollup job (kpi-rollup.ts); `grp` is the fact's group key, named when read.
 */
export const kpiDaily = pgTable(
  'kpi_daily',
  {
    kpi: text('kpi').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    grp: text('grp'),
    channel: text('channel'),
    templateId: uuid('template_id'),
    templateVersionId: uuid('template_version_id'),
    purpose: text('purpose'),
    batchRunId: uuid('batch_run_id'),
    queueId: uuid('queue_id'),
    num: doublePrecision('num').notNull(),
    den: doublePrecision('den').notNull(),
  },
  (table) => [index('kpi_daily_idx').on(table.kpi, table.day)],
);

/** How far each KPI's rollup reaches: every day before `before`, as the data stood at `refreshed_at`. */
export const kpiRollups = pgTable('kpi_rollups', {
  kpi: text('kpi').primaryKey(),
  before: date('rolled_up_before', { mode: 'string' }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});
