import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { rows, uuidArray, type Database, type Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { actorLabel, systemActor, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { writeMatterZip, type MatterItem, type MatterItemType } from './ediscovery-zip.js';
import type { CandidatesQuery, ExportInput } from './ediscovery.schemas.js';
import { objectsUnderHold } from './legal-holds.guard.js';
import { legalHolds } from './legal-holds.tables.js';
import { ediscoveryExports } from './records.tables.js';
import { readableDocuments } from '../documents/access/document-access.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import { documents } from '../documents/documents.tables.js';
import { users } from '../users/users.tables.js';

export type EdiscoveryService = ReturnType<typeof createEdiscoveryService>;

const itemTypes: MatterItemType[] = ['document', 'communication', 'ticket'];

/** How often a running export writes its count: often enough to watch, rarely enough to cost nothing. */
const PROGRESS_EVERY_MS = 250;

/** What each item type is called in a list, and the text a search of the matter looks in. */
const candidateQueries: Record<
  MatterItemType,
  (ids: string[], q: string | undefined, limit: number) => ReturnType<typeof sql>
> = {
  document: (ids, q, limit) => sql`select d.id, d.title, d.status, d.created_at as "createdAt"
    from documents d where d.id = any(${uuidArray(ids)})
      ${q ? sql`and (d.title ilike ${`%${q}%`} or d.description ilike ${`%${q}%`})` : sql``}
    order by d.created_at desc, d.id limit ${limit}`,
  communication: (
    ids,
    q,
    limit,
  ) => sql`select m.id, t.name || ' to ' || c.name || ' (' || coalesce(m.channel, 'no channel') || ')' as title,
      m.status, m.created_at as "createdAt"
    from communications m join templates t on t.id = m.template_id join customers c on c.id = m.customer_id
    where m.id = any(${uuidArray(ids)})
      ${q ? sql`and (t.name ilike ${`%${q}%`} or c.name ilike ${`%${q}%`})` : sql``}
    order by m.created_at desc, m.id limit ${limit}`,
  ticket: (
    ids,
    q,
    limit,
  ) => sql`select t.id, 'Ticket ' || t.number || ': ' || t.subject as title, t.status, t.created_at as "createdAt"
    from tickets t where t.id = any(${uuidArray(ids)})
      ${q ? sql`and t.subject ilike ${`%${q}%`}` : sql``}
    order by t.created_at desc, t.id limit ${limit}`,
};

/**
 * E-discovery for a matter: search what its hold covers (documents, communications, tickets), choose,
 * and export a ZIP with the files, a manifest with hashes and each item's audit events. Over the
 * API the ZIP is written by a job into the blob store, counting items as it goes, so a large matter
 * shows live progress and is downloaded when done; the CLI streams the same ZIP straight to a file.
 */
export function createEdiscoveryService({
  db,
  audit,
  clock,
  blobs,
  queue,
  exportJob,
  grants,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'open' | 'has' | 'put'>;
  queue: Pick<JobQueue, 'enqueue'>;
  exportJob: string;
  grants: GrantPresence;
}) {
  async function loadHold(executor: Executor, id: string) {
    const [hold] = await executor.select().from(legalHolds).where(eq(legalHolds.id, id));
    if (!hold) throw notFound('legal hold', id);
    return hold;
  }

  async function loadExport(executor: Executor, id: string) {
    const [found] = await executor.select().from(ediscoveryExports).where(eq(ediscoveryExports.id, id));
    if (!found) throw notFound('export', id);
    return found;
  }

  /** What the hold covers of one type that the actor may see: documents they may not read are left out. */
  async function coveredFor(executor: Executor, actor: Actor, holdId: string, type: MatterItemType) {
    const ids = await objectsUnderHold(executor, holdId, type);
    if (type !== 'document' || ids.length === 0) return ids;
    const readable = await executor
      .select({ id: documents.id })
      .from(documents)
      .where(and(inArray(documents.id, ids), readableDocuments(actor, documents.id, grants)));
    const kept = new Set(readable.map((row) => row.id));
    return ids.filter((id) => kept.has(id));
  }

  /** The export's requester as they are now, so the job leaves out what they may not read. */
  async function requesterOf(row: typeof ediscoveryExports.$inferSelect): Promise<Actor> {
    if (!row.requestedBy) return systemActor(row.requestedByLabel);
    const [user] = await db
      .select({ id: users.id, email: users.email, roles: users.roles, active: users.active })
      .from(users)
      .where(eq(users.id, row.requestedBy));
    if (!user?.active)
      throw new AppError('conflict', 'ediscovery.requester_gone', `${row.requestedByLabel} can no longer export.`);
    return { kind: 'user', userId: user.id, email: user.email, roles: user.roles, via: 'session' };
  }

  /** Everything the hold covers, or the chosen items after checking each is in its scope. */
  async function matterItems(executor: Executor, actor: Actor, holdId: string, chosen: MatterItem[] | null) {
    const inScope = new Map<MatterItemType, Set<string>>();
    for (const type of itemTypes) inScope.set(type, new Set(await coveredFor(executor, actor, holdId, type)));
    if (!chosen) return itemTypes.flatMap((type) => [...inScope.get(type)!].sort().map((id) => ({ type, id })));
    chosen.forEach((item, index) => {
      if (!inScope.get(item.type)!.has(item.id))
        throw new AppError(
          'validation_failed',
          'ediscovery.out_of_scope',
          `The ${item.type} ${item.id} is not in this matter's scope.`,
          [{ path: `body.items.${index}.id`, message: "is not covered by the matter's hold" }],
        );
    });
    return [...new Map(chosen.map((item) => [`${item.type}:${item.id}`, item])).values()];
  }

  /** Streams the matter's ZIP into `out`, telling `onItem` how many items are written. */
  async function writeTo(out: Writable, holdId: string, items: MatterItem[], onItem: (done: number) => void) {
    const zip = writeMatterZip({ db, blobs }, holdId, items, onItem);
    await Promise.all([pipeline(zip.stream, out), zip.done]);
    return zip.manifest.length;
  }

  const present = (row: typeof ediscoveryExports.$inferSelect) => ({
    id: row.id,
    holdId: row.holdId,
    status: row.status,
    itemsTotal: row.itemsTotal,
    itemsDone: row.itemsDone,
    zipSha256: row.zipSha256,
    zipSize: row.zipSize,
    error: row.error,
    requestedByLabel: row.requestedByLabel,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  });

  return {
    /** What the matter's hold covers, of one type, newest first; `q` narrows by title, subject or customer. */
    async candidates(actor: Actor, holdId: string, query: CandidatesQuery) {
      authorize(actor, 'ediscovery.export');
      await loadHold(db, holdId);
      const ids = await coveredFor(db, actor, holdId, query.type);
      const found = ids.length
        ? await rows<{ id: string; title: string; status: string; createdAt: Date }>(
            db,
            candidateQueries[query.type](ids, query.q, query.limit),
          )
        : [];
      return {
        type: query.type,
        total: ids.length,
        items: found.map((item) => ({ ...item, createdAt: new Date(item.createdAt) })),
      };
    },

    /** Starts an export job; answers at once with the export to watch. */
    async startExport(actor: Actor, holdId: string, input: ExportInput) {
      authorize(actor, 'ediscovery.export');
      return db.transaction(async (tx) => {
        const hold = await loadHold(tx, holdId);
        const items = await matterItems(tx, actor, holdId, input.items ?? null);
        const [created] = await tx
          .insert(ediscoveryExports)
          .values({
            holdId,
            selection: input.items ?? null,
            itemsTotal: items.length,
            requestedBy: actor.kind === 'user' ? actor.userId : null,
            requestedByLabel: actorLabel(actor),
            createdAt: clock.now(),
          })
          .returning();
        await queue.enqueue(tx, { kind: exportJob, payload: { exportId: created!.id } });
        await audit.record(tx, actor, {
          action: 'ediscovery.export_started',
          entityType: 'legal_hold',
          entityId: holdId,
          summary: { exportId: created!.id, matter: hold.matter, items: items.length, chosen: Boolean(input.items) },
        });
        return present(created!);
      });
    },

    /** The job's work: writes the ZIP into the blob store with a live count. */
    async runExport(exportId: string, signal: AbortSignal) {
      const row = await loadExport(db, exportId);
      if (row.status !== 'running') return;
      const items = await matterItems(db, await requesterOf(row), row.holdId, row.selection);
      let written = 0;
      let lastWrite = 0;
      let writing: Promise<unknown> = Promise.resolve();
      const onItem = (done: number) => {
        written = done;
        const now = Date.now();
        if (now - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = now;
        writing = writing.then(() =>
          db.update(ediscoveryExports).set({ itemsDone: written }).where(eq(ediscoveryExports.id, exportId)),
        );
      };
      const zip = writeMatterZip({ db, blobs }, row.holdId, items, onItem);
      const abort = () => zip.stream.destroy(new Error('The export was interrupted; it starts again.'));
      signal.addEventListener('abort', abort, { once: true });
      try {
        const [stored] = await Promise.all([blobs.put(zip.stream), zip.done]);
        await writing;
        await db.transaction(async (tx) => {
          await tx
            .update(ediscoveryExports)
            .set({
              status: 'done',
              itemsDone: items.length,
              itemsTotal: items.length,
              zipSha256: stored.sha256,
              zipSize: stored.size,
              finishedAt: clock.now(),
            })
            .where(eq(ediscoveryExports.id, exportId));
          await audit.record(tx, systemActor(`e-discovery export for ${row.requestedByLabel}`), {
            action: 'ediscovery.exported',
            entityType: 'legal_hold',
            entityId: row.holdId,
            summary: {
              exportId,
              items: items.length,
              files: zip.manifest.length,
              sha256: stored.sha256,
              size: stored.size,
            },
          });
        });
      } finally {
        signal.removeEventListener('abort', abort);
      }
    },

    /** Out of attempts: the export says so, with the last error. */
    async exportFailed(executor: Executor, exportId: string, error: string) {
      await executor
        .update(ediscoveryExports)
        .set({ status: 'failed', error, finishedAt: clock.now() })
        .where(eq(ediscoveryExports.id, exportId));
    },

    async getExport(actor: Actor, id: string) {
      authorize(actor, 'ediscovery.export');
      return present(await loadExport(db, id));
    },

    async listExports(actor: Actor, holdId: string) {
      authorize(actor, 'ediscovery.export');
      await loadHold(db, holdId);
      const found = await db
        .select()
        .from(ediscoveryExports)
        .where(eq(ediscoveryExports.holdId, holdId))
        .orderBy(desc(ediscoveryExports.createdAt))
        .limit(50);
      return { exports: found.map(present) };
    },

    /** A finished export's ZIP; every download is audited. */
    async download(actor: Actor, id: string) {
      authorize(actor, 'ediscovery.export');
      const row = await loadExport(db, id);
      if (row.status !== 'done' || !row.zipSha256)
        throw new AppError('conflict', 'ediscovery.not_ready', `The export is ${row.status}; its ZIP is not ready.`);
      const hold = await loadHold(db, row.holdId);
      await db.transaction((tx) =>
        audit.record(tx, actor, {
          action: 'ediscovery.downloaded',
          entityType: 'legal_hold',
          entityId: row.holdId,
          summary: { exportId: id, sha256: row.zipSha256 },
        }),
      );
      const slug =
        hold.matter
          .replace(/[^\p{L}\p{N}]+/gu, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60) || 'matter';
      return {
        sha256: row.zipSha256,
        size: row.zipSize!,
        filename: `ediscovery-${slug}.zip`,
        open: () => blobs.open(row.zipSha256!),
      };
    },

    /** The CLI's export: the same ZIP streamed straight into a file, audited as one export. */
    async exportTo(actor: Actor, holdId: string, out: Writable, onItem: (done: number, total: number) => void) {
      authorize(actor, 'ediscovery.export');
      const hold = await loadHold(db, holdId);
      const items = await matterItems(db, actor, holdId, null);
      const files = await writeTo(out, holdId, items, (done) => onItem(done, items.length));
      await db.transaction((tx) =>
        audit.record(tx, actor, {
          action: 'ediscovery.exported',
          entityType: 'legal_hold',
          entityId: holdId,
          summary: { matter: hold.matter, items: items.length, files, to: 'file' },
        }),
      );
      return { items: items.length, files };
    },
  };
}
