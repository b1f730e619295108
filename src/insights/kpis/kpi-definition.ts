import type { SQL } from 'drizzle-orm';

/** What a KPI's value is counted in; the board formats by it and a goal's target is in it too. */
export const kpiUnits = ['count', 'percent', 'minutes', 'currency'] as const;
export type KpiUnit = (typeof kpiUnits)[number];

/** The filters a KPI may be narrowed by; each definition names the ones meaningful for it. */
export const kpiFilterNames = [
  'channel',
  'templateId',
  'templateVersionId',
  'purpose',
  'segmentId',
  'batchRunId',
  'queueId',
  'teamId',
] as const;
export type KpiFilterName = (typeof kpiFilterNames)[number];
export type KpiFilters = Partial<Record<KpiFilterName, string>>;

export const kpiBuckets = ['day', 'week', 'month'] as const;
export type KpiBucket = (typeof kpiBuckets)[number];

/** The kinds of record a drill-down lists; the board links each to its page. */
export type KpiRecordType = 'communication' | 'ticket' | 'article';

/** A half-open period [from, to) the facts are read for. */
export type KpiRange = { from: Date; to: Date };

/**
 * The facts a KPI is computed from: one SELECT whose rows have the columns
 *   at timestamptz, grp text, num float8, den float8,
 *   record_type text, record_id text, title text, detail text, in_drill boolean,
 *   channel text, template_id uuid, template_version_id uuid, purpose text, batch_run_id uuid, queue_id uuid.
 * A bucket's value is sum(num) (a count or a sum) or sum(num) / sum(den) (a rate or a mean); the
 * rows with `in_drill` are the records a chart point drills down to. `grp` is the key of the group
 * (a channel, an id), shown through `groupLabel`; the last six columns are the dimensions the
 * filters read, which the daily rollup keeps (kpi-dimensions.ts).
 */
type Definition = {
  key: string;
  name: string;
  unit: KpiUnit;
  higherIsBetter: boolean;
  /** How it is computed, in the words the board shows as help. */
  description: string;
  filters: readonly KpiFilterName[];
  /** What the period's total is broken down by (channel, template version, queue). */
  groupedBy: string;
  /** The group's name from its key, read when shown so that a renamed queue or template reads as it is named now. */
  groupLabel?: (grp: SQL) => SQL;
};

/** Summed over the events that fall in each bucket. */
export type FlowKpi = Definition & {
  kind: 'flow';
  aggregate: 'sum' | 'ratio';
  facts(filters: KpiFilters, range: KpiRange): SQL;
};

/**
 * A state read at the end of each bucket (the backlog): `facts` lists the records in it at `at`
 * (the drill-down); `changes` are the facts of what entered it (num +1) and left it (num -1) in the
 * range, so the state at any instant is the sum of the changes before it.
 */
export type SnapshotKpi = Definition & {
  kind: 'snapshot';
  facts(filters: KpiFilters, at: SQL): SQL;
  changes(filters: KpiFilters, range: KpiRange): SQL;
};

export type KpiDefinition = FlowKpi | SnapshotKpi;
