import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { GENESIS_HASH, hashEvent, verifyRun, type ChainBreak } from './audit-chain.js';
import { auditEvents } from './audit.tables.js';

export type AuditChange = {
  action: string;
  entityType: string;
  entityId: string;
  summary?: Record<string, unknown>;
};

export type AuditFilter = {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** Events older than this sequence number (the cursor of the previous page). */
  before?: number;
  limit: number;
};

export type AuditVerification = { ok: true; checked: number } | { ok: false; checked: number; firstBreak: ChainBreak };

/** Serializes appends to the chain across every process sharing the database. */
const AUDIT_CHAIN_LOCK = 0x6175_6469;
const VERIFY_PAGE = 2000;

export type AuditTrail = ReturnType<typeof createAuditTrail>;

export function createAuditTrail({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /** Appends one event; call it inside the transaction that makes the change. */
    async record(tx: Executor, actor: Actor, change: AuditChange) {
      await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
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
      await tx.insert(auditEvents).values({ ...event, hash: hashEvent(event) });
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
      if (filter.before) conditions.push(lt(auditEvents.seq, filter.before));
      const events = await db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(desc(auditEvents.seq))
        .limit(filter.limit + 1);
      const hasMore = events.length > filter.limit;
      const page = events.slice(0, filter.limit);
      return { events: page, nextCursor: hasMore ? page[page.length - 1]!.seq : null };
    },

    /** Walks the whole chain in pages and reports the first event that breaks it. */
    async verify(actor: Actor): Promise<AuditVerification> {
      authorize(actor, 'audit.read');
      let prev = { seq: 0, hash: GENESIS_HASH };
      let checked = 0;
      for (;;) {
        const events = await db
          .select()
          .from(auditEvents)
          .where(gt(auditEvents.seq, prev.seq))
          .orderBy(asc(auditEvents.seq))
          .limit(VERIFY_PAGE);
        if (events.length === 0) return { ok: true, checked };
        const result = verifyRun(events, prev);
        if ('break' in result)
          return { ok: false, checked: checked + (result.break.seq - prev.seq - 1), firstBreak: result.break };
        checked += events.length;
        prev = result.last;
      }
    },
  };
}
