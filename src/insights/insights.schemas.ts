import { z } from 'zod';
import { channels } from '../customers/customers.tables.js';
import { cursorParam, instant, nextCursor, pageSize } from '../http/schemas.js';
import { templatePurposes } from '../templates/templates.tables.js';
import { kpiBuckets, kpiFilterNames, kpiUnits } from './kpis/kpi-definition.js';
import { kpiKeys } from './kpis/kpi-registry.js';

export const kpiKey = z.enum(kpiKeys).describe('A KPI key, as GET /api/insights/kpis lists them');

/** The filters a KPI may be narrowed by; one asked of a KPI that does not take it is refused, naming it. */
export const kpiFilterFields = {
  channel: z.enum(channels).optional(),
  templateId: z.uuid().optional(),
  templateVersionId: z.uuid().optional(),
  purpose: z.enum(templatePurposes).optional(),
  segmentId: z.uuid().optional(),
  batchRunId: z.uuid().optional().describe('Only the communications of this batch run'),
  queueId: z.uuid().optional(),
  teamId: z.uuid().optional(),
};
export const kpiFilters = z.strictObject(kpiFilterFields);
/** The filters an answer was narrowed by, as given. */
export const appliedFilters = z.partialRecord(z.enum(kpiFilterNames), z.string()).describe('KpiFilters');

const period = {
  from: instant.optional().describe('Start of the period (inclusive); 12 weeks before `to` when left out'),
  to: instant.optional().describe('End of the period (exclusive); now when left out'),
  bucket: z.enum(kpiBuckets).default('week').describe('The size of each point of the series, in UTC'),
};

export const kpiSeriesQuery = z.strictObject({ ...period, ...kpiFilterFields });
export type KpiSeriesQuery = z.infer<typeof kpiSeriesQuery>;

export const kpiRecordsQuery = z.strictObject({
  ...period,
  ...kpiFilterFields,
  point: z.iso.date().describe('The bucket of the chart point (its first day, YYYY-MM-DD, as the series names it)'),
  cursor: cursorParam,
  limit: pageSize,
});

export const kpiParams = z.strictObject({ key: kpiKey });

export const kpiDefinitionResponse = z
  .object({
    key: z.string(),
    name: z.string(),
    unit: z.enum(kpiUnits),
    higherIsBetter: z.boolean(),
    description: z.string().describe('How it is computed'),
    filters: z.array(z.enum(kpiFilterNames)).describe('The filters it may be narrowed by'),
    groupedBy: z.string().describe('What its total is broken down by'),
  })
  .describe('KpiDefinition');

const measured = {
  value: z.number().nullable().describe('Null where a rate has nothing to divide by'),
  numerator: z.number(),
  denominator: z.number(),
};

export const kpiPoint = z.object({ bucket: z.iso.date(), ...measured }).describe('KpiPoint');

export const kpiSeriesResponse = z
  .object({
    kpi: kpiDefinitionResponse,
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucket: z.enum(kpiBuckets),
    filters: appliedFilters,
    points: z.array(kpiPoint),
    total: z.object(measured),
    groups: z.array(z.object({ group: z.string(), ...measured })),
    rollup: z
      .object({ from: z.iso.date(), to: z.iso.date(), refreshedAt: z.iso.datetime() })
      .nullable()
      .describe(
        'The whole days from `from` to `to` (exclusive) were read from the daily rollup as it stood at `refreshedAt`; the rest live. Null: all live.',
      ),
  })
  .describe('KpiSeries');

export const kpiRecordsResponse = z.object({
  records: z.array(
    z.object({
      type: z.enum(['communication', 'ticket', 'article']),
      id: z.string(),
      at: z.iso.datetime(),
      title: z.string(),
      detail: z.string(),
    }),
  ),
  nextCursor,
});
