import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { rows, type Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { customers, segments } from './customers.tables.js';
import { segmentCondition, segmentFilterSchema, type SegmentFilter } from './segment-filter.js';
import type { SegmentInput } from './segments.schemas.js';

export type SegmentsService = ReturnType<typeof createSegmentsService>;

/** Live counts are exact up to this many customers; above it they are estimated. */
export const EXACT_COUNT_UP_TO = 10_000;
/** About this many rows are read to estimate a larger count: a few percent error, a few milliseconds. */
const SAMPLED_ROWS = 30_000;
/**
 * A consent condition looks each sampled customer up in the consents' index, which costs more
 * than reading the row: a third of the sample keeps the count live (about 7 % error at worst, for
 * the smallest count estimated at a million: 20,000).
 */
const SAMPLED_ROWS_WITH_CONSENT = 10_000;

/** The table's rows now, as the planner reckons them: rows per page at the last ANALYZE times today's pages. */
const tableSizeEstimate = `
  select (case when relpages > 0
               then reltuples / relpages * (pg_relation_size(oid) / current_setting('block_size')::int)
               else reltuples end)::float8 as total
  from pg_class where oid = 'customers'::regclass`;

/** Two significant digits: an estimate should not look more precise than it is. */
function roughly(value: number) {
  if (value < 100) return Math.round(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

export function createSegmentsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  const nameTaken = (name: string) =>
    new AppError('conflict', 'segment.name_taken', `A segment named ${name} already exists.`, [
      { path: 'body.name', message: 'is already taken' },
    ]);

  async function get(id: string) {
    const [segment] = await db.select().from(segments).where(eq(segments.id, id));
    if (!segment) throw notFound('segment', id);
    return { ...segment, filter: segmentFilterSchema.parse(segment.filter) };
  }

  async function countOf(filter: SegmentFilter) {
    const [row] = await db.select({ n: count() }).from(customers).where(segmentCondition(filter));
    return row!.n;
  }

  /**
   * The count the filter builder shows as it changes: exact up to EXACT_COUNT_UP_TO, above it
   * estimated from a sample of the table's pages and said to be so. A filter the sample shows to be
   * clearly larger is never counted row by row.
   */
  async function liveCount(filter: SegmentFilter): Promise<{ count: number; estimated: boolean }> {
    const condition = segmentCondition(filter) ?? sql`true`;
    const [table] = await rows<{ total: number }>(db, sql.raw(tableSizeEstimate));
    const total = table?.total ?? -1;
    let estimate: number | undefined;
    const sampled = filter.consent ? SAMPLED_ROWS_WITH_CONSENT : SAMPLED_ROWS;
    if (total > sampled) {
      const percent = (100 * sampled) / total;
      // REPEATABLE: the same filter on the same data shows the same estimate, not a number that flickers.
      const [sample] = await rows<{ matched: number; sampled: number }>(
        db,
        sql`select count(*) filter (where ${condition})::int as matched, count(*)::int as sampled
            from ${customers} tablesample system (${sql.raw(percent.toFixed(4))}) repeatable (0)`,
      );
      if (sample && sample.sampled > 0) estimate = (sample.matched / sample.sampled) * total;
      if (estimate !== undefined && estimate > 2 * EXACT_COUNT_UP_TO)
        return { count: roughly(estimate), estimated: true };
    }
    const [bounded] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (select 1 from ${customers} where ${condition} limit ${EXACT_COUNT_UP_TO + 1}) as matched`,
    );
    if (bounded!.n <= EXACT_COUNT_UP_TO) return { count: bounded!.n, estimated: false };
    if (estimate === undefined) return { count: await countOf(filter), estimated: false };
    return { count: Math.max(EXACT_COUNT_UP_TO + 1, roughly(estimate)), estimated: true };
  }

  async function preview(filter: SegmentFilter, limit = 10) {
    return db
      .select()
      .from(customers)
      .where(segmentCondition(filter))
      .orderBy(asc(customers.name), asc(customers.id))
      .limit(limit);
  }

  return {
    filterOf: async (id: string) => (await get(id)).filter,

    async list(actor: Actor) {
      authorize(actor, 'customers.read');
      return db.select().from(segments).orderBy(asc(segments.name));
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'customers.read');
      return get(id);
    },

    /** How many customers a filter matches now, and the first few of them: for the editor's live view. */
    async evaluate(actor: Actor, filter: SegmentFilter) {
      authorize(actor, 'customers.read');
      const [total, sample] = await Promise.all([liveCount(filter), preview(filter)]);
      return { ...total, preview: sample };
    },

    async create(actor: Actor, input: SegmentInput) {
      authorize(actor, 'segments.manage');
      return db.transaction(async (tx) => {
        const [created] = await tx
          .insert(segments)
          .values({
            name: input.name,
            description: input.description ?? '',
            filter: input.filter,
            createdBy: actorLabel(actor),
          })
          .onConflictDoNothing()
          .returning();
        if (!created) throw nameTaken(input.name);
        await audit.record(tx, actor, {
          action: 'segment.created',
          entityType: 'segment',
          entityId: created.id,
          summary: { name: input.name, filter: input.filter },
        });
        return created;
      });
    },

    async update(actor: Actor, id: string, change: Partial<SegmentInput>) {
      authorize(actor, 'segments.manage');
      await get(id);
      return db.transaction(async (tx) => {
        if (change.name) {
          const [clash] = await tx.select({ id: segments.id }).from(segments).where(eq(segments.name, change.name));
          if (clash && clash.id !== id) throw nameTaken(change.name);
        }
        const [updated] = await tx
          .update(segments)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(segments.id, id))
          .returning();
        await audit.record(tx, actor, {
          action: 'segment.updated',
          entityType: 'segment',
          entityId: id,
          summary: { ...change },
        });
        return updated!;
      });
    },

    async remove(actor: Actor, id: string) {
      authorize(actor, 'segments.manage');
      const segment = await get(id);
      await db.transaction(async (tx) => {
        await tx.delete(segments).where(eq(segments.id, id));
        await audit.record(tx, actor, {
          action: 'segment.deleted',
          entityType: 'segment',
          entityId: id,
          summary: { name: segment.name },
        });
      });
    },

    /**
     * Walks the members of a segment in id order, a page of ids at a time, never the whole segment
     * in memory: batch runs start here. Pass the last id of one page to get the next.
     */
    async members(id: string, options: { afterId?: string; pageSize: number }) {
      const { filter } = await get(id);
      return db
        .select({ id: customers.id })
        .from(customers)
        .where(and(segmentCondition(filter), options.afterId ? gt(customers.id, options.afterId) : undefined))
        .orderBy(asc(customers.id))
        .limit(options.pageSize);
    },

    count: async (id: string) => countOf((await get(id)).filter),
  };
}
