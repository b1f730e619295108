import { eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { AppError } from '../../shared/errors.js';
import type { KpiBucket, KpiDefinition, KpiFilters, KpiRange, KpiRecordType } from './kpi-definition.js';
import { dimensionFilters, rollupColumns } from './kpi-dimensions.js';
import { kpiDaily, kpiRollups } from './kpi-rollup.tables.js';

/** The most buckets one series may have: a year of days. */
export const MAX_BUCKETS = 400;

export type KpiPoint = { bucket: string; value: number | null; numerator: number; denominator: number };
export type KpiGroup = { group: string; value: number | null; numerator: number; denominator: number };
export type KpiRecord = { type: KpiRecordType; id: string; at: string; title: string; detail: string };

const instant = (value: Date) => sql`${value.toISOString()}::timestamptz`;
const interval = (bucket: KpiBucket) => sql`${`1 ${bucket}`}::interval`;

/** The value of summed facts: the sum itself, or the ratio (in percent for a percent KPI); no denominator, no value. */
export function kpiValue(definition: KpiDefinition, numerator: number, denominator: number): number | null {
  const raw =
    definition.kind === 'snapshot' || definition.aggregate === 'sum'
      ? numerator
      : denominator > 0
        ? (numerator / denominator) * (definition.unit === 'percent' ? 100 : 1)
        : null;
  return raw === null ? null : Math.round(raw * 1_000_000) / 1_000_000;
}

/** The UTC start of every bucket the period touches, as a column `start` (timestamp without time zone). */
const bucketStarts = (bucket: KpiBucket, range: KpiRange) => sql`
  select generate_series(date_trunc(${bucket}::text, ${instant(range.from)} at time zone 'UTC'),
    (${instant(range.to)} at time zone 'UTC') - interval '1 microsecond', ${interval(bucket)}) as start`;

/** Refuses a series of more buckets than a chart can show, naming the parameter to change. */
export function checkBucketCount(bucket: KpiBucket, range: KpiRange) {
  const days = (range.to.getTime() - range.from.getTime()) / 86_400_000;
  const perBucket = { day: 1, week: 7, month: 28 }[bucket];
  if (days / perBucket > MAX_BUCKETS)
    throw new AppError(
      'validation_failed',
      'insights.too_many_buckets',
      `A series has at most ${MAX_BUCKETS} buckets.`,
      [
        {
          path: 'querystring.bucket',
          message: `gives more than ${MAX_BUCKETS} buckets for this period: pick a longer one`,
        },
      ],
    );
}

type Sums = { num: number; den: number };

/** Where an answer's closed days came from: the daily rollup, as it was refreshed; null when all was read live. */
export type RollupUse = { from: string; to: string; refreshedAt: string } | null;

/** Before anything Tidings records: a snapshot's changes, and a first rollup, are summed from here. */
export const EARLIEST = new Date('2000-01-01T00:00:00Z');
export const DAY_MS = 86_400_000;
/** The start of the value's UTC day; the rollup's days are UTC days. */
export const floorDay = (value: Date) => new Date(Math.floor(value.getTime() / DAY_MS) * DAY_MS);
const ceilDay = (value: Date) => new Date(Math.ceil(value.getTime() / DAY_MS) * DAY_MS);
export const isoDate = (value: Date) => value.toISOString().slice(0, 10);

type ReadPlan = { rolled: KpiRange | null; live: KpiRange[]; rollup: RollupUse };

/**
 * The whole UTC days of the range that the KPI's rollup holds are read from it, the rest (today, a
 * part day at either end, everything when there is no rollup) from the live facts: the same sums.
 */
async function readPlan(db: Executor, definition: KpiDefinition, range: KpiRange): Promise<ReadPlan> {
  const [state] = await db.select().from(kpiRollups).where(eq(kpiRollups.kpi, definition.key));
  const first = ceilDay(range.from);
  const end = state ? new Date(Math.min(Date.parse(`${state.before}T00:00:00Z`), floorDay(range.to).getTime())) : first;
  if (!state || first >= end) return { rolled: null, live: [range], rollup: null };
  return {
    rolled: { from: first, to: end },
    live: [
      { from: range.from, to: first },
      { from: end, to: range.to },
    ].filter((part) => part.from < part.to),
    rollup: { from: isoDate(first), to: isoDate(end), refreshedAt: state.refreshedAt.toISOString() },
  };
}

/** The facts that carry a KPI's value: a flow's facts, a snapshot's changes. */
export const valueFacts = (definition: KpiDefinition, filters: KpiFilters, range: KpiRange): SQL =>
  definition.kind === 'flow' ? definition.facts(filters, range) : definition.changes(filters, range);

/** The facts of the plan as (at, grp, num, den): rollup days (at their midnight) and live facts. */
function plannedFacts(definition: KpiDefinition, filters: KpiFilters, plan: ReadPlan): SQL {
  const parts = plan.live.map(
    (live) => sql`select f.at, f.grp, f.num, f.den from (${valueFacts(definition, filters, live)}) f`,
  );
  if (plan.rolled)
    parts.push(sql`select (r.day::timestamp at time zone 'UTC') as at, r.grp, r.num, r.den from ${kpiDaily} r
      where r.kpi = ${definition.key} and r.day >= ${isoDate(plan.rolled.from)}::date
        and r.day < ${isoDate(plan.rolled.to)}::date ${dimensionFilters(filters, rollupColumns)}`);
  return sql.join(parts, sql` union all `);
}

function addTo(map: Map<string, Sums>, key: string, row: Sums) {
  const sum = map.get(key) ?? { num: 0, den: 0 };
  map.set(key, { num: sum.num + row.num, den: sum.den + row.den });
}

type SumsRow = Sums & { bucket: string | null; grp: string | null; label: string | null };

/**
 * Sums a KPI's facts per bucket (null: before the period, a snapshot's earlier changes) and group,
 * named; a flow over the period, a snapshot over everything before the period's end.
 */
async function bucketSums(
  db: Executor,
  definition: KpiDefinition,
  filters: KpiFilters,
  range: KpiRange,
  bucket: KpiBucket | null,
): Promise<{ rows: SumsRow[]; rollup: RollupUse }> {
  const plan = await readPlan(db, definition, definition.kind === 'flow' ? range : { from: EARLIEST, to: range.to });
  const facts = plannedFacts(definition, filters, plan);
  const label = (definition.groupLabel ?? ((grp: SQL) => grp))(sql`s.grp`);
  const query =
    bucket === null
      ? sql`select null as bucket, s.grp, ${label} as label, s.num, s.den
          from (select f.grp, sum(f.num)::float8 as num, sum(f.den)::float8 as den from (${facts}) f group by f.grp) s`
      : sql`with sums as (
            select case when f.at >= ${instant(range.from)} then date_trunc(${bucket}::text, f.at at time zone 'UTC') end
              as start, f.grp, sum(f.num)::float8 as num, sum(f.den)::float8 as den
            from (${facts}) f group by 1, 2),
          buckets as (${bucketStarts(bucket, range)})
        select to_char(b.start, 'YYYY-MM-DD') as bucket, s.grp, ${label} as label, coalesce(s.num, 0)::float8 as num,
          coalesce(s.den, 0)::float8 as den
        from buckets b left join sums s on s.start = b.start
        union all
        select null, s.grp, ${label}, s.num, s.den from sums s where s.start is null
        order by 1 nulls first`;
  return { rows: await rows<SumsRow>(db, query), rollup: plan.rollup };
}

/**
 * A KPI's series, total and breakdown by group from one read of its sums (a few rows), added up
 * here: a flow per bucket, a snapshot as the running sum of its changes at each bucket's end. Every
 * bucket of the period is listed, an empty one counting zero.
 */
export async function kpiSeriesAndTotals(
  db: Executor,
  definition: KpiDefinition,
  filters: KpiFilters,
  range: KpiRange,
  bucket: KpiBucket,
) {
  const { rows: sums, rollup } = await bucketSums(db, definition, filters, range, bucket);
  const byBucket = new Map<string, Sums>();
  const byGroup = new Map<string, Sums>();
  let running: Sums = { num: 0, den: 0 };
  for (const row of sums) {
    if (row.bucket !== null) addTo(byBucket, row.bucket, row);
    else running = { num: running.num + row.num, den: running.den + row.den };
    if (row.grp !== null) addTo(byGroup, row.label ?? row.grp, row);
  }
  const points = [...byBucket].map(([start, sum]): KpiPoint => {
    if (definition.kind === 'snapshot') running = { num: running.num + sum.num, den: 0 };
    return { bucket: start, ...measured(definition, definition.kind === 'snapshot' ? running : sum) };
  });
  return { points, ...totalsOf(definition, byGroup), rollup };
}

const measured = (definition: KpiDefinition, sum: Sums) => ({
  value: kpiValue(definition, sum.num, sum.den),
  numerator: sum.num,
  denominator: sum.den,
});

function totalsOf(definition: KpiDefinition, byGroup: Map<string, Sums>) {
  const total = [...byGroup.values()].reduce((all, sum) => ({ num: all.num + sum.num, den: all.den + sum.den }), {
    num: 0,
    den: 0,
  });
  return {
    total: measured(definition, total),
    groups: [...byGroup]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, sum]): KpiGroup => ({ group, ...measured(definition, sum) })),
  };
}

/** The KPI over the whole period (a snapshot: at its end), and broken down by its group (channel, template version, queue). */
export async function kpiTotals(db: Executor, definition: KpiDefinition, filters: KpiFilters, range: KpiRange) {
  const { rows: sums, rollup } = await bucketSums(db, definition, filters, range, null);
  const byGroup = new Map<string, Sums>();
  for (const row of sums) if (row.grp !== null) addTo(byGroup, row.label ?? row.grp, row);
  return { ...totalsOf(definition, byGroup), rollup };
}

/** The UTC instant a bucket labelled YYYY-MM-DD ends. */
export function bucketEnd(start: Date, bucket: KpiBucket): Date {
  const end = new Date(start);
  if (bucket === 'day') end.setUTCDate(end.getUTCDate() + 1);
  else if (bucket === 'week') end.setUTCDate(end.getUTCDate() + 7);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

const cursorTypes = ['timestamptz', 'text'] as const;

/**
 * The records behind one chart point: the facts of the bucket starting at `bucketStart` (within the
 * period) that the KPI drills down to, newest first, keyset-paged.
 */
export async function kpiRecords(
  db: Executor,
  definition: KpiDefinition,
  filters: KpiFilters,
  range: KpiRange,
  bucket: KpiBucket,
  bucketStart: Date,
  page: { cursor?: string; limit: number },
): Promise<{ records: KpiRecord[]; nextCursor: string | null }> {
  const end = bucketEnd(bucketStart, bucket);
  const within: KpiRange = {
    from: new Date(Math.max(bucketStart.getTime(), range.from.getTime())),
    to: new Date(Math.min(end.getTime(), range.to.getTime())),
  };
  const facts =
    definition.kind === 'flow' ? definition.facts(filters, within) : definition.facts(filters, instant(within.to));
  const after = page.cursor
    ? (() => {
        const [at, id] = decodeCursor(page.cursor, cursorTypes);
        return sql`and (f.at, f.record_id) < (${at}::timestamptz, ${id}::text)`;
      })()
    : sql``;
  const found = await rows<{
    record_type: KpiRecordType;
    record_id: string;
    title: string;
    detail: string;
    at_iso: string;
    position: string[];
  }>(
    db,
    sql`select f.record_type, f.record_id, f.title, f.detail,
          to_char(f.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at_iso,
          array[f.at::text, f.record_id] as position
        from (${facts}) f
        where f.in_drill and ${instant(within.from)} < ${instant(within.to)} ${after}
        order by f.at desc, f.record_id desc
        limit ${page.limit + 1}`,
  );
  const shown = found.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    records: shown.map((row) => ({
      type: row.record_type,
      id: row.record_id,
      at: row.at_iso,
      title: row.title,
      detail: row.detail,
    })),
    nextCursor: found.length > page.limit && last ? encodeCursor(last.position) : null,
  };
}
