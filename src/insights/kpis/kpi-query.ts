import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { AppError } from '../../shared/errors.js';
import type { FlowKpi, KpiBucket, KpiDefinition, KpiFilters, KpiRange, KpiRecordType } from './kpi-definition.js';

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

/** The KPI per bucket: every bucket of the period, an empty one counting zero. */
export async function kpiSeries(
  db: Executor,
  definition: KpiDefinition,
  filters: KpiFilters,
  range: KpiRange,
  bucket: KpiBucket,
): Promise<KpiPoint[]> {
  const query =
    definition.kind === 'flow'
      ? sql`with facts as (${definition.facts(filters, range)}), buckets as (${bucketStarts(bucket, range)})
          select to_char(b.start, 'YYYY-MM-DD') as bucket, coalesce(sum(f.num), 0)::float8 as num,
            coalesce(sum(f.den), 0)::float8 as den
          from buckets b left join facts f on date_trunc(${bucket}::text, f.at at time zone 'UTC') = b.start
          group by b.start order by b.start`
      : sql`with buckets as (${bucketStarts(bucket, range)})
          select to_char(b.start, 'YYYY-MM-DD') as bucket, (select count(*) from (${definition.facts(
            filters,
            sql`least((b.start + ${interval(bucket)}) at time zone 'UTC', ${instant(range.to)})`,
          )}) s)::float8 as num, 0::float8 as den
          from buckets b order by b.start`;
  const found = await rows<Sums & { bucket: string }>(db, query);
  return found.map((row) => ({
    bucket: row.bucket,
    value: kpiValue(definition, row.num, row.den),
    numerator: row.num,
    denominator: row.den,
  }));
}

/**
 * A flow KPI's series and breakdown from one scan of its facts: summed per bucket and group in the
 * database (a few rows), then added up per bucket and per group here. Every bucket of the period
 * is listed, an empty one counting zero.
 */
export async function flowSeriesAndTotals(
  db: Executor,
  definition: FlowKpi,
  filters: KpiFilters,
  range: KpiRange,
  bucket: KpiBucket,
) {
  const sums = await rows<Sums & { bucket: string; grp: string | null }>(
    db,
    sql`with facts as (${definition.facts(filters, range)}),
          sums as (select date_trunc(${bucket}::text, f.at at time zone 'UTC') as start, f.grp,
              sum(f.num)::float8 as num, sum(f.den)::float8 as den
            from facts f group by 1, 2),
          buckets as (${bucketStarts(bucket, range)})
        select to_char(b.start, 'YYYY-MM-DD') as bucket, s.grp, coalesce(s.num, 0)::float8 as num,
          coalesce(s.den, 0)::float8 as den
        from buckets b left join sums s on s.start = b.start
        order by b.start`,
  );
  const byBucket = new Map<string, Sums>();
  const byGroup = new Map<string, Sums>();
  const add = (map: Map<string, Sums>, key: string, row: Sums) => {
    const sum = map.get(key) ?? { num: 0, den: 0 };
    map.set(key, { num: sum.num + row.num, den: sum.den + row.den });
  };
  for (const row of sums) {
    add(byBucket, row.bucket, row);
    if (row.grp !== null) add(byGroup, row.grp, row);
  }
  const measured = (sum: Sums) => ({
    value: kpiValue(definition, sum.num, sum.den),
    numerator: sum.num,
    denominator: sum.den,
  });
  const total = [...byGroup.values()].reduce((all, sum) => ({ num: all.num + sum.num, den: all.den + sum.den }), {
    num: 0,
    den: 0,
  });
  return {
    points: [...byBucket].map(([start, sum]): KpiPoint => ({ bucket: start, ...measured(sum) })),
    total: measured(total),
    groups: [...byGroup]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, sum]): KpiGroup => ({ group, ...measured(sum) })),
  };
}

/** The facts of the whole period (a snapshot: at its end). */
const periodFacts = (definition: KpiDefinition, filters: KpiFilters, range: KpiRange): SQL =>
  definition.kind === 'flow' ? definition.facts(filters, range) : definition.facts(filters, instant(range.to));

/** The KPI over the whole period, and broken down by its group (channel, template version, queue). */
export async function kpiTotals(db: Executor, definition: KpiDefinition, filters: KpiFilters, range: KpiRange) {
  const groups = await rows<Sums & { grp: string }>(
    db,
    sql`select f.grp, coalesce(sum(f.num), 0)::float8 as num, coalesce(sum(f.den), 0)::float8 as den
        from (${periodFacts(definition, filters, range)}) f group by f.grp order by f.grp`,
  );
  const num = groups.reduce((sum, group) => sum + group.num, 0);
  const den = groups.reduce((sum, group) => sum + group.den, 0);
  return {
    total: { value: kpiValue(definition, num, den), numerator: num, denominator: den },
    groups: groups.map((group): KpiGroup => ({
      group: group.grp,
      value: kpiValue(definition, group.num, group.den),
      numerator: group.num,
      denominator: group.den,
    })),
  };
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
