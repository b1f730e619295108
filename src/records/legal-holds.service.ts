import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { rows, type Database, type Executor } from '../db/database.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { countUnderHold, holdsCovering, serializeWithHolds } from './legal-holds.guard.js';
import type { ListHoldsQuery, PlaceHoldInput, ScopeLine } from './legal-holds.schemas.js';
import { legalHolds, legalHoldScopes, type HeldObjectType } from './legal-holds.tables.js';

export type LegalHoldsService = ReturnType<typeof createLegalHoldsService>;

type HoldRow = typeof legalHolds.$inferSelect;

const newestFirst = keyset(
  [
    { expression: legalHolds.placedAt, type: 'timestamptz' },
    { expression: legalHolds.id, type: 'uuid' },
  ],
  'desc',
);

/** What a scope line names, in words: the customer's name, "Ticket 1042: subject", a document's title. */
const labelOf: Record<HeldObjectType, (id: string) => ReturnType<typeof sql<string | null>>> = {
  customer: (id) => sql`(select name from customers where id = ${id})`,
  document: (id) => sql`(select title from documents where id = ${id})`,
  ticket: (id) => sql`(select 'Ticket ' || number || ': ' || subject from tickets where id = ${id})`,
  communication: (id) => sql`(select t.name || ' to ' || c.name from communications m
    join templates t on t.id = m.template_id join customers c on c.id = m.customer_id where m.id = ${id})`,
};

const summarize = (hold: HoldRow, covered: Record<HeldObjectType, number>) => ({
  id: hold.id,
  matter: hold.matter,
  description: hold.description,
  placedByLabel: hold.placedByLabel,
  placedAt: hold.placedAt,
  releasedByLabel: hold.releasedByLabel,
  releasedAt: hold.releasedAt,
  releaseReason: hold.releaseReason,
  status: hold.releasedAt ? ('released' as const) : ('active' as const),
  covered: {
    customers: covered.customer,
    documents: covered.document,
    tickets: covered.ticket,
    communications: covered.communication,
  },
});

async function coveredCounts(executor: Executor, id: string) {
  const [counts] = await rows<Record<HeldObjectType, number>>(
    executor,
    sql`select ${countUnderHold(id, 'customer')} as customer, ${countUnderHold(id, 'document')} as document,
      ${countUnderHold(id, 'ticket')} as ticket, ${countUnderHold(id, 'communication')} as communication`,
  );
  return counts!;
}

/**
 * Legal holds: a matter and a scope of customers, documents, tickets and communications. While a
 * hold is active, legal-holds.guard.ts refuses every deletion, disposition, merge or change of what
 * it covers. Placing, widening and releasing (with a reason) are audited; a hold is never deleted.
 */
export function createLegalHoldsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  async function load(executor: Executor, id: string, forUpdate = false) {
    const query = executor.select().from(legalHolds).where(eq(legalHolds.id, id));
    const [hold] = forUpdate ? await query.for('update') : await query;
    if (!hold) throw notFound('legal hold', id);
    return hold;
  }

  /** Each line must name an existing object; a missing one is a 404 naming its field. */
  async function assertTargets(executor: Executor, lines: ScopeLine[]) {
    for (const [index, line] of lines.entries()) {
      const [found] = await rows<{ label: string | null }>(
        executor,
        sql`select ${labelOf[line.kind](line.targetId)} as label`,
      );
      if (found?.label == null)
        throw new AppError('not_found', `${line.kind}.not_found`, `No ${line.kind} with id ${line.targetId}.`, [
          { path: `body.scope.${index}.targetId`, message: `names no ${line.kind}` },
        ]);
    }
  }

  /** Adds the lines the hold does not have yet; answers with those added. */
  async function insertLines(tx: Executor, holdId: string, lines: ScopeLine[]) {
    const existing = await tx
      .select({ kind: legalHoldScopes.kind, targetId: legalHoldScopes.targetId })
      .from(legalHoldScopes)
      .where(eq(legalHoldScopes.holdId, holdId));
    const key = (line: { kind: string; targetId: string | null }) => `${line.kind}:${line.targetId}`;
    const had = new Set(existing.map(key));
    const added = [...new Map(lines.map((line) => [key(line), line])).values()].filter((line) => !had.has(key(line)));
    if (added.length)
      await tx.insert(legalHoldScopes).values(added.map((line) => ({ holdId, ...line, addedAt: clock.now() })));
    return added;
  }

  async function present(executor: Executor, id: string) {
    const hold = await load(executor, id);
    const counts = await coveredCounts(executor, id);
    const lines = await executor
      .select()
      .from(legalHoldScopes)
      .where(and(eq(legalHoldScopes.holdId, id), isNotNull(legalHoldScopes.targetId)))
      .orderBy(legalHoldScopes.addedAt, legalHoldScopes.id);
    const scope = [];
    for (const line of lines) {
      const kind = line.kind as HeldObjectType;
      const [named] = await rows<{ label: string | null }>(
        executor,
        sql`select ${labelOf[kind](line.targetId!)} as label`,
      );
      scope.push({
        id: line.id,
        kind,
        targetId: line.targetId!,
        addedAt: line.addedAt,
        label: named?.label ?? '(gone)',
      });
    }
    return { ...summarize(hold, counts), scope };
  }

  return {
    async place(actor: Actor, input: PlaceHoldInput) {
      authorize(actor, 'holds.manage');
      return db.transaction(async (tx) => {
        await serializeWithHolds(tx);
        await assertTargets(tx, input.scope);
        const [hold] = await tx
          .insert(legalHolds)
          .values({
            matter: input.matter,
            description: input.description,
            placedBy: actor.kind === 'user' ? actor.userId : null,
            placedByLabel: actorLabel(actor),
            placedAt: clock.now(),
          })
          .returning();
        const added = await insertLines(tx, hold!.id, input.scope);
        await audit.record(tx, actor, {
          action: 'legal_hold.placed',
          entityType: 'legal_hold',
          entityId: hold!.id,
          summary: { matter: input.matter, scope: added },
        });
        return present(tx, hold!.id);
      });
    },

    /** Widens an active hold; lines it already has are left as they are. */
    async addScope(actor: Actor, id: string, lines: ScopeLine[]) {
      authorize(actor, 'holds.manage');
      return db.transaction(async (tx) => {
        await serializeWithHolds(tx);
        const hold = await load(tx, id, true);
        if (hold.releasedAt)
          throw new AppError('conflict', 'legal_hold.released', `The hold for "${hold.matter}" was released.`);
        await assertTargets(tx, lines);
        const added = await insertLines(tx, id, lines);
        if (added.length)
          await audit.record(tx, actor, {
            action: 'legal_hold.scope_added',
            entityType: 'legal_hold',
            entityId: id,
            summary: { matter: hold.matter, scope: added },
          });
        return present(tx, id);
      });
    },

    /** Ends the hold; what it covered may be deleted or disposed again unless another hold covers it. */
    async release(actor: Actor, id: string, reason: string) {
      authorize(actor, 'holds.manage');
      return db.transaction(async (tx) => {
        const hold = await load(tx, id, true);
        if (hold.releasedAt)
          throw new AppError('conflict', 'legal_hold.released', `The hold for "${hold.matter}" was already released.`);
        await tx
          .update(legalHolds)
          .set({
            releasedAt: clock.now(),
            releasedBy: actor.kind === 'user' ? actor.userId : null,
            releasedByLabel: actorLabel(actor),
            releaseReason: reason,
          })
          .where(eq(legalHolds.id, id));
        await audit.record(tx, actor, {
          action: 'legal_hold.released',
          entityType: 'legal_hold',
          entityId: id,
          summary: { matter: hold.matter, reason },
        });
        return present(tx, id);
      });
    },

    /** Holds, newest first, with how much each covers. */
    async list(actor: Actor, query: ListHoldsQuery) {
      authorize(actor, 'records.read');
      const found = await db
        .select({ hold: legalHolds, position: newestFirst.position })
        .from(legalHolds)
        .where(
          and(
            query.status === 'active' ? isNull(legalHolds.releasedAt) : undefined,
            query.status === 'released' ? isNotNull(legalHolds.releasedAt) : undefined,
            newestFirst.after(query.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(found, query.limit);
      const holds = [];
      for (const { hold } of page.rows) {
        holds.push(summarize(hold, await coveredCounts(db, hold.id)));
      }
      return { holds, nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'records.read');
      return present(db, id);
    },

    /** The active holds covering one object (its page shows them). */
    async covering(actor: Actor, type: HeldObjectType, id: string) {
      authorize(actor, 'records.read');
      const holds = await holdsCovering(db, type, [id]);
      return { holds: holds.map((hold) => ({ id: hold.holdId, matter: hold.matter })) };
    },
  };
}
