import { stringify } from 'csv-stringify/sync';
import { authorize } from '../auth/policy.js';
import { spreadsheetSafe } from '../customers/export.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { KpiSeriesQuery } from './insights.schemas.js';
import {
  kpiFilterNames,
  type KpiBucket,
  type KpiDefinition,
  type KpiFilters,
  type KpiRange,
} from './kpis/kpi-definition.js';
import { checkBucketCount, kpiRecords, kpiSeriesAndTotals } from './kpis/kpi-query.js';
import { kpiDefinition, kpiDefinitions } from './kpis/kpi-registry.js';

const DEFAULT_DAYS = 84;

export type KpiSeriesRequest = { from?: Date; to?: Date; bucket: KpiBucket; filters: KpiFilters };

/** What a definition tells the outside: everything but its SQL. */
export const describeKpi = ({ key, name, unit, higherIsBetter, description, filters, groupedBy }: KpiDefinition) => ({
  key,
  name,
  unit,
  higherIsBetter,
  description,
  filters: [...filters],
  groupedBy,
});

/** Splits a query into its period and its filters. */
export function seriesRequest(query: KpiSeriesQuery): KpiSeriesRequest {
  const filters: KpiFilters = {};
  for (const name of kpiFilterNames) if (query[name] !== undefined) filters[name] = query[name];
  return { from: query.from, to: query.to, bucket: query.bucket, filters };
}

/** Refuses a filter the KPI does not take, naming it, so a narrowed-looking answer is never the whole. */
function checkFilters(definition: KpiDefinition, filters: KpiFilters, path: string) {
  const refused = Object.keys(filters).filter((name) => !(definition.filters as readonly string[]).includes(name));
  if (refused.length > 0)
    throw new AppError(
      'validation_failed',
      'insights.filter_not_applicable',
      `${definition.name} cannot be filtered by ${refused.join(', ')}.`,
      refused.map((name) => ({ path: `${path}.${name}`, message: `is not a filter of ${definition.key}` })),
    );
}

export type InsightsService = ReturnType<typeof createInsightsService>;

/** KPIs computed by the database from live data, for the board, the API, the CSV export and goals. */
export function createInsightsService({ db, clock }: { db: Database; clock: Clock }) {
  function period(request: { from?: Date; to?: Date }): KpiRange {
    const to = request.to ?? clock.now();
    const from = request.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (from >= to)
      throw new AppError('validation_failed', 'insights.empty_period', 'The period must end after it starts.', [
        { path: 'querystring.to', message: 'must be after from' },
      ]);
    return { from, to };
  }

  /** The series, total and breakdown of one KPI; `filtersPath` names where bad filters came from. */
  async function series(actor: Actor, key: string, request: KpiSeriesRequest, filtersPath = 'querystring') {
    authorize(actor, 'insights.read');
    const definition = kpiDefinition(key);
    checkFilters(definition, request.filters, filtersPath);
    const range = period(request);
    checkBucketCount(request.bucket, range);
    const answer = await kpiSeriesAndTotals(db, definition, request.filters, range, request.bucket);
    return {
      kpi: describeKpi(definition),
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      bucket: request.bucket,
      filters: request.filters,
      ...answer,
    };
  }

  return {
    definitions(actor: Actor) {
      authorize(actor, 'insights.read');
      return kpiDefinitions.map(describeKpi);
    },

    series,

    /** The records behind the chart point of the bucket starting on `point`. */
    async records(
      actor: Actor,
      key: string,
      request: KpiSeriesRequest & { point: string; cursor?: string; limit: number },
    ) {
      authorize(actor, 'insights.read');
      const definition = kpiDefinition(key);
      checkFilters(definition, request.filters, 'querystring');
      const range = period(request);
      return kpiRecords(
        db,
        definition,
        request.filters,
        range,
        request.bucket,
        new Date(`${request.point}T00:00:00Z`),
        {
          cursor: request.cursor,
          limit: request.limit,
        },
      );
    },

    /** The same series as CSV: one row per bucket, then the total; text cells cannot run as formulas. */
    async csv(actor: Actor, key: string, request: KpiSeriesRequest) {
      const answer = await series(actor, key, request);
      const cell = (value: number | null) => (value === null ? '' : String(value));
      const rows = [
        ...answer.points.map((point) => [
          point.bucket,
          cell(point.value),
          cell(point.numerator),
          cell(point.denominator),
        ]),
        ['total', cell(answer.total.value), cell(answer.total.numerator), cell(answer.total.denominator)],
      ];
      return {
        fileName: `${answer.kpi.key}-${answer.from.slice(0, 10)}-${answer.to.slice(0, 10)}.csv`,
        body: stringify(
          rows.map((row) => row.map(spreadsheetSafe)),
          { bom: true, header: true, columns: ['bucket', `value (${answer.kpi.unit})`, 'numerator', 'denominator'] },
        ),
      };
    },
  };
}
