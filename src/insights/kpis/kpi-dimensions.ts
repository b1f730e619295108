import { sql, type SQL } from 'drizzle-orm';
import type { KpiFilters } from './kpi-definition.js';

/*
 * The dimensions every KPI fact carries, so that the daily rollup keeps them and answers every
 * filter the live query answers. A filter means the same on a fact row and on a rollup row: both
 * go through `dimensionFilters`, each with its own column names.
 */

/** Where each dimension is read from: columns of the facts' tables, or of the rollup. */
export type DimensionColumns = {
  channel: string;
  templateId: string;
  templateVersionId: string;
  purpose: string;
  batchRunId: string;
  queueId: string;
};

export const rollupColumns: DimensionColumns = {
  channel: 'r.channel',
  templateId: 'r.template_id',
  templateVersionId: 'r.template_version_id',
  purpose: 'r.purpose',
  batchRunId: 'r.batch_run_id',
  queueId: 'r.queue_id',
};

const when = (value: string | undefined, condition: (value: string) => SQL) =>
  value === undefined ? sql`` : sql` and ${condition(value)}`;

/** The filters as conditions (each led by `and`); a segment is the runs sent to it, a team the queues it works. */
export function dimensionFilters(filters: KpiFilters, columns: DimensionColumns): SQL {
  const column = (name: keyof DimensionColumns) => sql.raw(columns[name]);
  return sql.join([
    when(filters.channel, (value) => sql`${column('channel')} = ${value}`),
    when(filters.templateId, (value) => sql`${column('templateId')} = ${value}::uuid`),
    when(filters.templateVersionId, (value) => sql`${column('templateVersionId')} = ${value}::uuid`),
    when(filters.purpose, (value) => sql`${column('purpose')} = ${value}`),
    when(
      filters.segmentId,
      (value) => sql`${column('batchRunId')} in (select sr.id from batch_runs sr where sr.segment_id = ${value}::uuid)`,
    ),
    when(filters.batchRunId, (value) => sql`${column('batchRunId')} = ${value}::uuid`),
    when(filters.queueId, (value) => sql`${column('queueId')} = ${value}::uuid`),
    when(
      filters.teamId,
      (value) => sql`${column('queueId')} in (select tq.id from ticket_queues tq where tq.team_id = ${value}::uuid)`,
    ),
  ]);
}

/** The dimension columns of a fact about communication `c` (its channel from the column given). */
export const communicationDimensions = (channel = 'c.channel') =>
  sql.raw(`${channel} as channel, c.template_id, c.template_version_id, c.purpose, c.batch_run_id,
    null::uuid as queue_id`);

/** The dimension columns of a fact about ticket `t`. */
export const ticketDimensions = sql.raw(`null::text as channel, null::uuid as template_id,
  null::uuid as template_version_id, null::text as purpose, null::uuid as batch_run_id, t.queue_id`);

/** The dimension columns of a fact no filter narrows. */
export const noDimensions = sql.raw(`null::text as channel, null::uuid as template_id,
  null::uuid as template_version_id, null::text as purpose, null::uuid as batch_run_id, null::uuid as queue_id`);

/** The communications columns a filter reads, for the live facts. */
export const communicationColumns = (channel = 'c.channel'): DimensionColumns => ({
  channel,
  templateId: 'c.template_id',
  templateVersionId: 'c.template_version_id',
  purpose: 'c.purpose',
  batchRunId: 'c.batch_run_id',
  queueId: 'null::uuid',
});

export const ticketColumns: DimensionColumns = {
  channel: 'null::text',
  templateId: 'null::uuid',
  templateVersionId: 'null::uuid',
  purpose: 'null::text',
  batchRunId: 'null::uuid',
  queueId: 't.queue_id',
};
