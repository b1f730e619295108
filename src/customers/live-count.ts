import { sql, type SQL } from 'drizzle-orm';
import { rows, type Database } from '../db/database.js';
import { customers } from './customers.tables.js';

/** Live counts are exact up to this many customers; above it they are estimated. */
const EXACT_COUNT_UP_TO = 10_000;
/** About this many rows are read to estimate a larger count: a few percent error, a few milliseconds. */
export const SAMPLED_ROWS = 30_000;
/**
 * A consent condition looks each sampled customer up in the consents' index, which costs more
 * than reading the row: a third of the sample keeps the count live (about 7 % error at worst, for
 * the smallest count estimated at a million: 20,000).
 */
export const SAMPLED_ROWS_WITH_CONSENT = 10_000;

export type LiveCount = { count: number; estimated: boolean };

/** The table's rows now, as the planner reckons them: rows per page at the last ANALYZE times today's pages. */
const tableSizeEstimate = sql.raw(`
  select (case when relpages > 0
               then reltuples / relpages * (pg_relation_size(oid) / current_setting('block_size')::int)
               else reltuples end)::float8 as total
  from pg_class where oid = 'customers'::regclass`);

/** Every customer `condition` matches, counted row by row. */
export async function countCustomers(db: Database, condition: SQL | undefined): Promise<number> {
  const [all] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${customers} where ${condition ?? sql`true`}`,
  );
  return all!.n;
}

/** Two significant digits: an estimate should not look more precise than it is. */
function roughly(value: number) {
  if (value < 100) return Math.round(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

/**
 * How many customers `condition` matches, fast enough to show as a filter changes: exact up to
 * EXACT_COUNT_UP_TO, above it estimated from a sample of `sampledRows` of the table's rows and
 * said to be so. A condition the sample shows to be clearly larger is never counted row by row.
 */
export async function liveCount(db: Database, condition: SQL | undefined, sampledRows: number): Promise<LiveCount> {
  const where = condition ?? sql`true`;
  const [table] = await rows<{ total: number }>(db, tableSizeEstimate);
  const total = table?.total ?? -1;
  let estimate: number | undefined;
  if (total > sampledRows) {
    const percent = (100 * sampledRows) / total;
    // REPEATABLE: the same filter on the same data shows the same estimate, not a number that flickers.
    const [sample] = await rows<{ matched: number; sampled: number }>(
      db,
      sql`select count(*) filter (where ${where})::int as matched, count(*)::int as sampled
          from ${customers} tablesample system (${sql.raw(percent.toFixed(4))}) repeatable (0)`,
    );
    if (sample && sample.sampled > 0) estimate = (sample.matched / sample.sampled) * total;
    if (estimate !== undefined && estimate > 2 * EXACT_COUNT_UP_TO)
      return { count: roughly(estimate), estimated: true };
  }
  const [bounded] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from ${customers} where ${where} limit ${EXACT_COUNT_UP_TO + 1}) as matched`,
  );
  if (bounded!.n <= EXACT_COUNT_UP_TO) return { count: bounded!.n, estimated: false };
  if (estimate === undefined) return { count: await countCustomers(db, condition), estimated: false };
  return { count: Math.max(EXACT_COUNT_UP_TO + 1, roughly(estimate)), estimated: true };
}
