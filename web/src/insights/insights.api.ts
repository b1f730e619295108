import type { ResponseOf } from '../api/api-types.js';
import { withQuery } from '../api/client.js';

export type KpiDefinition = ResponseOf<'/api/insights/kpis'>['kpis'][number];
export type KpiSeries = ResponseOf<'/api/insights/kpis/{key}'>;
export type KpiPoint = KpiSeries['points'][number];
export type KpiRecord = ResponseOf<'/api/insights/kpis/{key}/records'>['records'][number];
export type Goal = ResponseOf<'/api/goals'>['goals'][number];
export type Bucket = KpiSeries['bucket'];

/** The filters the board offers; each KPI is narrowed by those of them it takes. */
export const boardFilterNames = ['channel', 'teamId', 'templateId', 'purpose', 'segmentId'] as const;
export type BoardFilterName = (typeof boardFilterNames)[number];

/** The period and filters every chart of the board is drawn for. */
export type BoardQuery = { from: string; to: string; bucket: Bucket } & Partial<Record<BoardFilterName, string>>;

/** The board's filters set now that a KPI does not take: its chart is not narrowed by them. */
export const filtersNotTaken = (kpi: Pick<KpiDefinition, 'filters'>, query: BoardQuery) =>
  boardFilterNames.filter((name) => query[name] && !(kpi.filters as string[]).includes(name));

const kpiPath = (key: string) => `/api/insights/kpis/${encodeURIComponent(key)}`;

/** Where a drill-down record has its page. */
const recordPages: Record<KpiRecord['type'], (id: string) => string> = {
  communication: (id) => `/communications/${encodeURIComponent(id)}`,
  ticket: (id) => `/tickets/${encodeURIComponent(id)}`,
  article: (id) => `/knowledge/${encodeURIComponent(id)}`,
};

/** A KPI's query: the board's period, and each filter only where the KPI takes it. */
const queryFor = (kpi: Pick<KpiDefinition, 'filters'>, query: BoardQuery) => ({
  from: query.from,
  to: query.to,
  bucket: query.bucket,
  ...Object.fromEntries(
    boardFilterNames.map((name) => [name, query[name] && kpi.filters.includes(name) ? query[name] : undefined]),
  ),
});

export type Roi = ResponseOf<'/api/insights/roi/runs/{id}'>;

export const insightsApi = {
  kpisPath: '/api/insights/kpis',
  seriesPath: (kpi: KpiDefinition, query: BoardQuery) => withQuery(kpiPath(kpi.key), queryFor(kpi, query)),
  recordsPath: (kpi: KpiDefinition, query: BoardQuery, point: string) =>
    withQuery(`${kpiPath(kpi.key)}/records`, { ...queryFor(kpi, query), point, limit: 50 }),
  csvPath: (kpi: KpiDefinition, query: BoardQuery) => withQuery(`${kpiPath(kpi.key)}/export.csv`, queryFor(kpi, query)),
  goalsPath: '/api/goals',
  myGoalsPath: withQuery('/api/goals', { mine: 'true' }),
  pageOf: (record: KpiRecord) => recordPages[record.type](record.id),
  goalPath: (id: string) => `/api/goals/${encodeURIComponent(id)}`,
  roiPath: (kind: 'runs' | 'templates', id: string, baseline: string) =>
    withQuery(`/api/insights/roi/${kind}/${encodeURIComponent(id)}`, { baseline }),
};

/** A KPI value in its unit: "25 %", "42 min", "€0.85", "1,204". */
export function formatKpiValue(value: number | null, unit: KpiDefinition['unit'], currency?: string): string {
  if (value === null) return '—';
  if (unit === 'percent') return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} %`;
  if (unit === 'minutes')
    return value >= 120
      ? `${(value / 60).toLocaleString(undefined, { maximumFractionDigits: 1 })} h`
      : `${value.toLocaleString(undefined, { maximumFractionDigits: 0 })} min`;
  if (unit === 'currency')
    return currency
      ? value.toLocaleString(undefined, { style: 'currency', currency, maximumFractionDigits: 5 })
      : value.toLocaleString(undefined, { maximumFractionDigits: 5 });
  return value.toLocaleString();
}
