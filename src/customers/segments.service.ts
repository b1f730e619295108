import { and, asc, eq, gt } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { customers, segments } from './customers.tables.js';
import { countCustomers, liveCount, SAMPLED_ROWS, SAMPLED_ROWS_WITH_CONSENT } from './live-count.js';
import { segmentCondition, segmentFilterSchema, type SegmentFilter } from './segment-filter.js';
import type { SegmentInput } from './segments.schemas.js';

export type SegmentsService = ReturnType<typeof createSegmentsService>;

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
      const sampledRows = filter.consent ? SAMPLED_ROWS_WITH_CONSENT : SAMPLED_ROWS;
      const [total, sample] = await Promise.all([
        liveCount(db, segmentCondition(filter), sampledRows),
        preview(filter),
      ]);
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

    count: async (id: string) => countCustomers(db, segmentCondition((await get(id)).filter)),
  };
}
