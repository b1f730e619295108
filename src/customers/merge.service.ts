import { and, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';
import type { CustomersService } from './customers.service.js';
import { consentEvents, customerConsents, customerContacts, customers } from './customers.tables.js';

type Loaded = Awaited<ReturnType<CustomersService['load']>>;

/**
 * How one domain's records follow a merge. Each domain that links records to customers
 * (communications, tickets, documents) registers one, so a merge moves every linked record.
 */
export type LinkedRecords = {
  label: string;
  /** How many `move` would move from the one customer to the other. */
  count(executor: Executor, fromCustomerId: string, toCustomerId: string): Promise<number>;
  move(tx: Executor, fromCustomerId: string, toCustomerId: string): Promise<number>;
};

const union = <T>(first: T[], second: T[]) => [...new Set([...first, ...second])];
const firstSet = <T>(value: T | null | undefined, fallback: T | null | undefined) =>
  value === null || value === undefined || value === '' ? (fallback ?? null) : value;

/** The survivor keeps what it has, gains what only the other had, and lists both customers' addresses. */
export function mergedFields(survivor: Loaded, other: Loaded) {
  return {
    givenName: firstSet(survivor.givenName, other.givenName),
    familyName: firstSet(survivor.familyName, other.familyName),
    organizationName: firstSet(survivor.organizationName, other.organizationName),
    emails: union(survivor.emails, other.emails),
    phones: union(survivor.phones, other.phones),
    fax: firstSet(survivor.fax, other.fax),
    address: survivor.address ?? other.address,
    ownerId: firstSet(survivor.ownerId, other.ownerId),
    tags: union(survivor.tags, other.tags),
    attributes: { ...other.attributes, ...survivor.attributes },
    externalId: firstSet(survivor.externalId, other.externalId),
    channelPreferences: survivor.channelPreferences.length ? survivor.channelPreferences : other.channelPreferences,
    quietHours: survivor.quietHours ?? other.quietHours,
    undeliverable: union(survivor.undeliverable, other.undeliverable),
  };
}

export type MergeService = ReturnType<typeof createMergeService>;

export function createMergeService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'append' | 'move' | 'count'>;
  customers: Pick<CustomersService, 'load'>;
  clock: Clock;
}) {
  const { db, audit, timeline, clock } = deps;
  const linked: LinkedRecords[] = [
    {
      label: 'timeline entries',
      count: (executor, id) => timeline.count(executor, id),
      move: (tx, from, to) => timeline.move(tx, from, to),
    },
    {
      label: 'contact persons',
      count: async (executor, id) =>
        (
          await executor
            .select({ n: sql<number>`count(*)::int` })
            .from(customerContacts)
            .where(eq(customerContacts.customerId, id))
        )[0]!.n,
      move: async (tx, from, to) =>
        (
          await tx
            .update(customerContacts)
            .set({ customerId: to })
            .where(eq(customerContacts.customerId, from))
            .returning({ id: customerContacts.id })
        ).length,
    },
    {
      label: 'consent records',
      count: async (executor, id) =>
        (
          await executor
            .select({ n: sql<number>`count(*)::int` })
            .from(consentEvents)
            .where(eq(consentEvents.customerId, id))
        )[0]!.n,
      move: async (tx, from, to) =>
        (
          await tx
            .update(consentEvents)
            .set({ customerId: to })
            .where(eq(consentEvents.customerId, from))
            .returning({ id: consentEvents.id })
        ).length,
    },
  ];

  async function pair(executor: Executor, survivorId: string, otherId: string) {
    if (survivorId === otherId)
      throw new AppError('validation_failed', 'merge.same_customer', 'A customer cannot be merged with itself.', [
        { path: 'body.otherId', message: 'is the survivor' },
      ]);
    // In turn: within the merge's transaction both loads share its one connection.
    const survivor = await deps.customers.load(executor, survivorId);
    const other = await deps.customers.load(executor, otherId);
    for (const customer of [survivor, other]) {
      if (customer.mergedInto)
        throw new AppError(
          'conflict',
          'merge.already_merged',
          `${customer.name} was already merged into another customer.`,
        );
    }
    return { survivor, other };
  }

  /** The current consent of the survivor: the latest ledger event per channel and purpose, from both histories. */
  async function rebuildConsents(tx: Executor, customerId: string) {
    await tx.delete(customerConsents).where(eq(customerConsents.customerId, customerId));
    await tx.execute(sql`
      insert into ${customerConsents} (customer_id, channel, purpose, granted, source, at)
      select distinct on (channel, purpose) customer_id, channel, purpose, granted, source, at
      from ${consentEvents} where customer_id = ${customerId}
      order by channel, purpose, at desc, id desc`);
  }

  return {
    register(records: LinkedRecords) {
      linked.push(records);
    },

    /** What a merge would do, without doing it. */
    async preview(actor: Actor, survivorId: string, otherId: string) {
      authorize(actor, 'customers.merge');
      const { survivor, other } = await pair(db, survivorId, otherId);
      const moves = await Promise.all(
        linked.map(async (records) => ({ label: records.label, count: await records.count(db, otherId, survivorId) })),
      );
      return { survivor, other, result: mergedFields(survivor, other), moves };
    },

    /** One transaction: fields combined, every linked record moved, the other archived as merged, audited. */
    async merge(actor: Actor, survivorId: string, otherId: string) {
      authorize(actor, 'customers.merge');
      return db.transaction(async (tx) => {
        const { survivor, other } = await pair(tx, survivorId, otherId);
        await assertNotHeld(
          tx,
          [
            { type: 'customer', id: otherId },
            { type: 'customer', id: survivorId },
          ],
          'merged',
        );
        const now = clock.now();
        const fields = mergedFields(survivor, other);
        const externalIdMoves = !survivor.externalId && other.externalId;
        await tx
          .update(customers)
          .set({
            externalId: externalIdMoves ? null : undefined,
            mergedInto: survivorId,
            archivedAt: other.archivedAt ?? now,
            updatedAt: now,
          })
          .where(eq(customers.id, otherId));
        await tx
          .update(customers)
          .set({ ...fields, updatedAt: now })
          .where(eq(customers.id, survivorId));
        const moved: Record<string, number> = {};
        for (const records of linked) moved[records.label] = await records.move(tx, otherId, survivorId);
        await rebuildConsents(tx, survivorId);
        await tx.delete(customerConsents).where(and(eq(customerConsents.customerId, otherId)));
        const summary = { survivor: survivorId, merged: otherId, mergedName: other.name, moved };
        await audit.record(tx, actor, {
          action: 'customer.merged',
          entityType: 'customer',
          entityId: survivorId,
          summary,
        });
        await audit.record(tx, actor, {
          action: 'customer.merged_away',
          entityType: 'customer',
          entityId: otherId,
          summary,
        });
        await timeline.append(tx, {
          customerId: survivorId,
          kind: 'customer',
          title: `Merged with ${other.name}`,
          actorLabel: actorLabel(actor),
          subjectType: 'customer',
          subjectId: otherId,
          data: { moved },
        });
        return { customer: await deps.customers.load(tx, survivorId), moved };
      });
    },
  };
}
