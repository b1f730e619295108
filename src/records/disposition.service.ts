import { and, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database, Executor } from '../db/database.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { liveReferences } from './blob-references.js';
import { communicationContent, disposeDocument } from './disposition-content.js';
import { BATCH_LIMIT, dueCommunications, dueDocuments } from './disposition-due.js';
import { buildCertificate } from './disposition-certificate.js';
import type { ListBatchesQuery, ListItemsQuery } from './disposition.schemas.js';
import { holdsCovering, serializeWithHolds, type CoveringHold } from './legal-holds.guard.js';
import {
  dispositionBatches,
  dispositionItems,
  type DestroyedContent,
  type DispositionObjectType,
} from './records.tables.js';
import { dateOf } from './retention.js';

export type DispositionService = ReturnType<typeof createDispositionService>;

const CHUNK = 1_000;

type Item = typeof dispositionItems.$inferSelect;

const chunks = <T>(list: readonly T[]) =>
  Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, index) => list.slice(index * CHUNK, (index + 1) * CHUNK));

const newestBatchesFirst = keyset(
  [
    { expression: dispositionBatches.createdAt, type: 'timestamptz' },
    { expression: dispositionBatches.id, type: 'uuid' },
  ],
  'desc',
);
const itemOrder = keyset(
  [
    { expression: dispositionItems.objectType, type: 'text' },
    { expression: dispositionItems.objectId, type: 'uuid' },
  ],
  'asc',
);

/** Every active hold covering any of these objects, by object id. */
async function holdsOver(executor: Executor, type: DispositionObjectType, ids: string[]) {
  const found = new Map<string, CoveringHold[]>();
  for (const part of chunks(ids))
    for (const hold of await holdsCovering(executor, type, part))
      found.set(hold.objectId, [...(found.get(hold.objectId) ?? []), hold]);
  return found;
}

/**
 * Disposition: a daily job lists the records whose retention has ended and no hold covers into a
 * batch; a records manager excludes some (with a reason) and approves the rest. Approval destroys
 * their content — each blob unless another live object shares it — leaves a disposed document with
 * minimal metadata, and keeps the batch as the certificate of what went, when, on whose word.
 */
export function createDispositionService({
  db,
  audit,
  clock,
  blobs,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'remove' | 'size'>;
}) {
  async function loadBatch(executor: Executor, id: string, forUpdate = false) {
    const query = executor.select().from(dispositionBatches).where(eq(dispositionBatches.id, id));
    const [batch] = forUpdate ? await query.for('update') : await query;
    if (!batch) throw notFound('disposition batch', id);
    return batch;
  }

  async function counts(executor: Executor, batchId: string) {
    const found = await executor
      .select({ status: dispositionItems.status, n: sql<number>`count(*)::int` })
      .from(dispositionItems)
      .where(eq(dispositionItems.batchId, batchId))
      .groupBy(dispositionItems.status);
    const byStatus = { listed: 0, excluded: 0, held: 0, destroyed: 0 };
    for (const row of found) byStatus[row.status] = row.n;
    return byStatus;
  }

  async function present(executor: Executor, batch: typeof dispositionBatches.$inferSelect) {
    return { ...batch, counts: await counts(executor, batch.id) };
  }

  return {
    /**
     * Lists today's due records, minus what a hold covers, into a new batch awaiting approval;
     * null when nothing is due. The daily job calls it; a records manager may too.
     */
    async listDue(actor: Actor) {
      authorize(actor, 'records.manage');
      return db.transaction(async (tx) => {
        const today = dateOf(clock.now());
        const documentsDue = await dueDocuments(tx, today);
        const due = [...documentsDue, ...(await dueCommunications(tx, today, BATCH_LIMIT - documentsDue.length))];
        const held = new Set<string>();
        for (const type of ['document', 'communication'] as const) {
          const ids = due.filter((item) => item.type === type).map((item) => item.id);
          for (const id of (await holdsOver(tx, type, ids)).keys()) held.add(id);
        }
        const listed = due.filter((item) => !held.has(item.id));
        if (!listed.length) return null;
        const [batch] = await tx
          .insert(dispositionBatches)
          .values({ listedOn: today, createdAt: clock.now() })
          .returning();
        for (const part of chunks(listed))
          await tx.insert(dispositionItems).values(
            part.map((item) => ({
              batchId: batch!.id,
              objectType: item.type,
              objectId: item.id,
              title: item.title,
              categoryName: item.category,
              createdAt: new Date(item.createdAt),
              retainUntil: item.retainUntil,
            })),
          );
        await audit.record(tx, actor, {
          action: 'disposition.listed',
          entityType: 'disposition_batch',
          entityId: batch!.id,
          summary: { number: batch!.number, listedOn: today, items: listed.length, skippedAsHeld: held.size },
        });
        return present(tx, batch!);
      });
    },

    async list(actor: Actor, query: ListBatchesQuery) {
      authorize(actor, 'records.read');
      const found = await db
        .select({ batch: dispositionBatches, position: newestBatchesFirst.position })
        .from(dispositionBatches)
        .where(
          and(
            query.status ? eq(dispositionBatches.status, query.status) : undefined,
            newestBatchesFirst.after(query.cursor),
          ),
        )
        .orderBy(...newestBatchesFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestBatchesFirst.page(found, query.limit);
      const batches = [];
      for (const { batch } of page.rows) batches.push(await present(db, batch));
      return { batches, nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'records.read');
      return present(db, await loadBatch(db, id));
    },

    async items(actor: Actor, id: string, query: ListItemsQuery) {
      authorize(actor, 'records.read');
      await loadBatch(db, id);
      const found = await db
        .select({ item: dispositionItems, position: itemOrder.position })
        .from(dispositionItems)
        .where(
          and(
            eq(dispositionItems.batchId, id),
            query.status ? eq(dispositionItems.status, query.status) : undefined,
            itemOrder.after(query.cursor),
          ),
        )
        .orderBy(...itemOrder.orderBy)
        .limit(query.limit + 1);
      const page = itemOrder.page(found, query.limit);
      return { items: page.rows.map((row) => row.item), nextCursor: page.nextCursor };
    },

    /** Keeps one listed record out of this disposition, with the reason; it is not listed again until its retention is set anew. */
    async exclude(
      actor: Actor,
      id: string,
      input: { objectType: DispositionObjectType; objectId: string; reason: string },
    ) {
      authorize(actor, 'records.manage');
      return db.transaction(async (tx) => {
        const batch = await loadBatch(tx, id, true);
        if (batch.status !== 'awaiting_approval')
          throw new AppError(
            'conflict',
            'disposition.decided',
            `Disposition batch ${batch.number} was already approved.`,
          );
        const [item] = await tx
          .update(dispositionItems)
          .set({ status: 'excluded', reason: input.reason, decidedAt: clock.now(), decidedByLabel: actorLabel(actor) })
          .where(
            and(
              eq(dispositionItems.batchId, id),
              eq(dispositionItems.objectType, input.objectType),
              eq(dispositionItems.objectId, input.objectId),
              eq(dispositionItems.status, 'listed'),
            ),
          )
          .returning();
        if (!item)
          throw new AppError(
            'not_found',
            'disposition.item_not_found',
            `Batch ${batch.number} lists no ${input.objectType} ${input.objectId}.`,
            [{ path: 'body.objectId', message: 'is not listed in this batch' }],
          );
        await audit.record(tx, actor, {
          action: 'disposition.excluded',
          entityType: 'disposition_batch',
          entityId: id,
          summary: { objectType: input.objectType, objectId: input.objectId, title: item.title, reason: input.reason },
        });
        return present(tx, batch);
      });
    },

    /**
     * Destroys every record still listed, after checking each against the active holds (under the
     * holds lock, so none is placed meanwhile): a held one is kept and marked so. Blobs no live object
     * shares are deleted once the decision is committed.
     */
    async approve(actor: Actor, id: string) {
      authorize(actor, 'records.manage');
      const { batch, toDelete } = await db.transaction(async (tx) => {
        const batch = await loadBatch(tx, id, true);
        if (batch.status !== 'awaiting_approval')
          throw new AppError(
            'conflict',
            'disposition.decided',
            `Disposition batch ${batch.number} was already approved.`,
          );
        await serializeWithHolds(tx);
        const now = clock.now();
        const label = actorLabel(actor);
        const listed = await tx
          .select()
          .from(dispositionItems)
          .where(and(eq(dispositionItems.batchId, id), eq(dispositionItems.status, 'listed')));
        const contents = new Map<Item, { sha256: string; size: number | null }[]>();
        for (const type of ['document', 'communication'] as const) {
          const ofType = listed.filter((item) => item.objectType === type);
          const held = await holdsOver(
            tx,
            type,
            ofType.map((item) => item.objectId),
          );
          for (const item of ofType) {
            const holds = held.get(item.objectId);
            if (holds) {
              await setItem(tx, item, {
                status: 'held',
                heldBy: holds.map((hold) => ({ id: hold.holdId, matter: hold.matter })),
                decidedAt: now,
                decidedByLabel: label,
              });
              continue;
            }
            contents.set(
              item,
              type === 'document'
                ? await disposeDocument(tx, item.objectId, now)
                : await communicationContent(tx, item.objectId),
            );
            await setItem(tx, item, { status: 'destroyed', decidedAt: now, decidedByLabel: label });
          }
        }
        const hashes = [...new Set([...contents.values()].flat().map((content) => content.sha256))];
        const references = await liveReferences(tx, hashes);
        for (const [item, content] of contents) {
          const destroyed: DestroyedContent[] = [];
          for (const { sha256, size } of content)
            destroyed.push({
              sha256,
              size: size ?? (await blobs.size(sha256).catch(() => 0)),
              blobDeleted: !references.has(sha256),
              sharedWith: references.get(sha256) ?? [],
            });
          await setItem(tx, item, { destroyed });
          await audit.record(tx, actor, {
            action: `${item.objectType}.disposed`,
            entityType: item.objectType,
            entityId: item.objectId,
            summary: { batch: batch.number, title: item.title, category: item.categoryName, destroyed },
          });
        }
        const [approved] = await tx
          .update(dispositionBatches)
          .set({
            status: 'approved',
            approvedAt: now,
            approvedBy: actor.kind === 'user' ? actor.userId : null,
            approvedByLabel: label,
          })
          .where(eq(dispositionBatches.id, id))
          .returning();
        const toDelete = hashes.filter((sha256) => !references.has(sha256));
        await audit.record(tx, actor, {
          action: 'disposition.approved',
          entityType: 'disposition_batch',
          entityId: id,
          summary: {
            number: batch.number,
            destroyed: contents.size,
            blobsDeleted: toDelete.length,
            keptAsShared: hashes.length - toDelete.length,
          },
        });
        return { batch: approved!, toDelete };
      });
      for (const sha256 of toDelete) await blobs.remove(sha256);
      return present(db, batch);
    },

    /** The certificate of an approved batch. */
    async certificate(actor: Actor, id: string) {
      authorize(actor, 'records.read');
      const batch = await loadBatch(db, id);
      const items = await db
        .select()
        .from(dispositionItems)
        .where(eq(dispositionItems.batchId, id))
        .orderBy(...itemOrder.orderBy);
      return buildCertificate(batch, items);
    },
  };

  async function setItem(tx: Executor, item: Item, change: Partial<Item>) {
    await tx
      .update(dispositionItems)
      .set(change)
      .where(
        and(
          eq(dispositionItems.batchId, item.batchId),
          eq(dispositionItems.objectType, item.objectType),
          eq(dispositionItems.objectId, item.objectId),
        ),
      );
  }
}
