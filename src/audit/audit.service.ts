import { and, asc, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import { rows, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { openAuditHead, type AuditHead, type HeadEntry } from './audit-anchor.js';
import { GENESIS_HASH, hashEvent, verifyRun, type ChainBreak } from './audit-chain.js';
import type { AuditFilter } from './audit.schemas.js';
import { auditEvents } from './audit.tables.js';

export type AuditChange = {
  action: string;
  entityType: string;
  entityId: string;
  summary?: Record<string, unknown>;
};

export type AuditVerification = { ok: true; checked: number } | { ok: false; checked: number; firstBreak: ChainBreak };

/** Serializes appends to the chain across every process sharing the database. */
const AUDIT_CHAIN_LOCK = 0x6175_6469;
const VERIFY_PAGE = 2000;

/** Newest first, by the chain's own order. */
const newestFirst = keyset([{ expression: auditEvents.seq, type: 'bigint' }], 'desc');

export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** The audit trail of a data folder: its head file is created on first start, anchoring any chain already there. */
export async function openAuditTrail({
  db,
  clock,
  key,
  dataDir,
}: {
  db: Database;
  clock: Clock;
  key: Buffer;
  dataDir: string;
}) {
  const head = await openAuditHead(dataDir, () => unkeyedPrefix(db));
  return createAuditTrail({ db, clock, key, head });
}

/** How far the chain verifies as written before it had a key. */
async function unkeyedPrefix(db: Database) {
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const events = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, prev.seq))
      .orderBy(asc(auditEvents.seq))
      .limit(VERIFY_PAGE);
    if (events.length === 0) return prev;
    const result = verifyRun(events, prev, () => null);
    if ('last' in result) {
      prev = result.last;
      continue;
    }
    const lastGood = events.find((event) => event.seq === result.break.seq - 1);
    return lastGood ? { seq: lastGood.seq, hash: lastGood.hash } : prev;
  }
}

/**
 * The chain is keyed (HMAC-SHA256 with a key outside the database) and anchored: each append also
 * writes its sequence number, hash and transaction id to the head file in the data folder, under
 * the same advisory lock. `verify` walks the chain, then holds every head entry against it: an
 * entry whose transaction committed must still be there with the same hash, so deleting the newest
 * events, or rewriting events and re-hashing the rest, is found; an entry of a transaction that
 * rolled back anchors nothing. `record` must therefore not run inside a savepoint that can roll back alone.
 */
export function createAuditTrail({
  db,
  clock,
  key,
  head,
}: {
  db: Database;
  clock: Clock;
  key: Buffer;
  head: AuditHead;
}) {
  const keyFor = (seq: number) => (seq <= head.legacy.seq ? null : key);

  /** The first head entry that the database contradicts, looking at one batch of entries. */
  async function contradicted(batch: HeadEntry[]): Promise<ChainBreak | undefined> {
    const stored = new Map(
      (
        await db
          .select({ seq: auditEvents.seq, hash: auditEvents.hash })
          .from(auditEvents)
          .where(
            inArray(
              auditEvents.seq,
              batch.map((entry) => entry.seq),
            ),
          )
      ).map((event) => [event.seq, event.hash]),
    );
    // A seq written again after a rollback has several entries: it stands if any of them matches.
    const bySeq = new Map<number, HeadEntry[]>();
    for (const entry of batch) bySeq.set(entry.seq, [...(bySeq.get(entry.seq) ?? []), entry]);
    for (const [seq, entries] of bySeq) {
      const hash = stored.get(seq);
      if (entries.some((entry) => entry.hash === hash)) continue;
      for (const entry of entries) {
        const status = await transactionStatus(entry.xid);
        if (status === 'aborted' || status === 'in progress') continue;
        const why =
          status === 'committed'
            ? 'the head file recorded it as written'
            : 'the head file recorded it, and the database does not know its transaction (restored from an older backup?)';
        return hash === undefined
          ? { seq, reason: `event ${seq} is missing: ${why}` }
          : {
              seq,
              reason: `rewritten: its hash differs from the one ${why.replace('it as written', 'when it was written')}`,
            };
      }
    }
    return undefined;
  }

  async function transactionStatus(xid: string) {
    try {
      const [row] = await rows<{ status: string | null }>(db, sql`select pg_xact_status(${xid}::xid8) as status`);
      return row?.status ?? null;
    } catch {
      return null;
    }
  }

  /** Holds the legacy anchor and every head entry against the database; the lowest contradiction. */
  async function checkHead(): Promise<ChainBreak | undefined> {
    if (head.legacy.seq > 0) {
      const [anchor] = await db
        .select({ hash: auditEvents.hash })
        .from(auditEvents)
        .where(eq(auditEvents.seq, head.legacy.seq));
      if (anchor?.hash !== head.legacy.hash)
        return {
          seq: head.legacy.seq,
          reason: anchor
            ? 'rewritten: its hash differs from the one the head file recorded when the chain was keyed'
            : `event ${head.legacy.seq} is missing: the head file recorded it when the chain was keyed`,
        };
    }
    let batch: HeadEntry[] = [];
    let found: ChainBreak | undefined;
    const settle = async () => {
      const broken = batch.length > 0 ? await contradicted(batch) : undefined;
      if (broken && (!found || broken.seq < found.seq)) found = broken;
      batch = [];
    };
    for await (const entry of head.entries()) {
      if (batch.length >= VERIFY_PAGE && entry.seq !== batch[batch.length - 1]!.seq) await settle();
      batch.push(entry);
    }
    await settle();
    return found;
  }

  return {
    headFile: head.file,

    /** Appends one event; call it inside the transaction that makes the change. */
    async record(tx: Executor, actor: Actor, change: AuditChange) {
      const [{ xid }] = (await rows<{ xid: string }>(
        tx,
        sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}), pg_current_xact_id()::text as xid`,
      )) as [{ xid: string }];
      const [last] = await tx
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      const event = {
        seq: (last?.seq ?? 0) + 1,
        at: clock.now(),
        actorId: actor.kind === 'user' ? actor.userId : null,
        actorLabel: actorLabel(actor),
        action: change.action,
        entityType: change.entityType,
        entityId: change.entityId,
        summary: change.summary ?? {},
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const hash = hashEvent(event, key);
      await tx.insert(auditEvents).values({ ...event, hash });
      head.append({ seq: event.seq, hash, xid });
    },

    async list(actor: Actor, filter: AuditFilter) {
      authorize(actor, 'audit.read');
      const conditions: SQL[] = [];
      if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
      if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
      if (filter.entityType) conditions.push(eq(auditEvents.entityType, filter.entityType));
      if (filter.entityId) conditions.push(eq(auditEvents.entityId, filter.entityId));
      if (filter.from) conditions.push(gte(auditEvents.at, filter.from));
      if (filter.to) conditions.push(lte(auditEvents.at, filter.to));
      const rows = await db
        .select({ event: auditEvents, position: newestFirst.position })
        .from(auditEvents)
        .where(and(...conditions, newestFirst.after(filter.cursor)))
        .orderBy(...newestFirst.orderBy)
        .limit(filter.limit + 1);
      const page = newestFirst.page(rows, filter.limit);
      return { events: page.rows.map((row) => row.event), nextCursor: page.nextCursor };
    },

    /** Walks the whole chain in pages, then checks it against the head file; reports the first event that breaks it. */
    async verify(actor: Actor): Promise<AuditVerification> {
      authorize(actor, 'audit.read');
      let prev = { seq: 0, hash: GENESIS_HASH };
      let checked = 0;
      let chainBreak: ChainBreak | undefined;
      for (;;) {
        const events = await db
          .select()
          .from(auditEvents)
          .where(gt(auditEvents.seq, prev.seq))
          .orderBy(asc(auditEvents.seq))
          .limit(VERIFY_PAGE);
        if (events.length === 0) break;
        const result = verifyRun(events, prev, keyFor);
        if ('break' in result) {
          chainBreak = result.break;
          break;
        }
        checked += events.length;
        prev = result.last;
      }
      const headBreak = await checkHead();
      const firstBreak = [chainBreak, headBreak]
        .filter((candidate) => candidate !== undefined)
        .sort((a, b) => a.seq - b.seq)[0];
      // Sequence numbers start at 1 without gaps, so the events before a break are the ones that verified.
      return firstBreak ? { ok: false, checked: firstBreak.seq - 1, firstBreak } : { ok: true, checked };
    },
  };
}
