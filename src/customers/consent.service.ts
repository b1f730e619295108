import { desc, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { uuidArray, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import {
  consentEvents,
  customerConsents,
  customers,
  type Channel,
  type ConsentSource,
  type Purpose,
} from './customers.tables.js';
import { decideChannel, type Reachability } from './reachability.js';

export type ConsentChange = {
  channel: Channel;
  purpose: Purpose;
  granted: boolean;
  source: ConsentSource;
  note?: string;
};

/**
 * The stored answers of many customers in one statement: by customer, then by "channel.purpose"
 * (granted or withdrawn). A customer who never answered has no entry.
 */
export async function storedConsents(executor: Executor, customerIds: readonly string[]) {
  const byCustomer = new Map<string, Map<string, boolean>>();
  if (!customerIds.length) return byCustomer;
  const consents = await executor
    .select({
      customerId: customerConsents.customerId,
      channel: customerConsents.channel,
      purpose: customerConsents.purpose,
      granted: customerConsents.granted,
    })
    .from(customerConsents)
    .where(sql`${customerConsents.customerId} = any(${uuidArray(customerIds)})`);
  for (const consent of consents) {
    const answers = byCustomer.get(consent.customerId) ?? new Map<string, boolean>();
    byCustomer.set(consent.customerId, answers.set(`${consent.channel}.${consent.purpose}`, consent.granted));
  }
  return byCustomer;
}

export type ConsentService = ReturnType<typeof createConsentService>;

export function createConsentService({
  db,
  audit,
  timeline,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'append'>;
  clock: Clock;
}) {
  /** Appends to the ledger and moves the current state with it, in the caller's transaction. */
  async function recordInTransaction(
    tx: Executor,
    actor: Actor,
    customerId: string,
    change: ConsentChange,
    at = clock.now(),
  ) {
    const [event] = await tx
      .insert(consentEvents)
      .values({ customerId, ...change, recordedBy: actorLabel(actor), at })
      .returning();
    await tx
      .insert(customerConsents)
      .values({
        customerId,
        channel: change.channel,
        purpose: change.purpose,
        granted: change.granted,
        source: change.source,
        at,
      })
      .onConflictDoUpdate({
        target: [customerConsents.customerId, customerConsents.channel, customerConsents.purpose],
        set: { granted: change.granted, source: change.source, at },
        // A late-arriving older event must not overwrite a newer state.
        setWhere: sql`${customerConsents.at} <= ${at}`,
      });
    const verb = change.granted ? 'granted' : 'withdrew';
    await timeline.append(tx, {
      customerId,
      kind: 'consent',
      title: `${verb === 'granted' ? 'Granted' : 'Withdrew'} ${change.purpose} consent for ${change.channel}`,
      body: change.note,
      actorLabel: actorLabel(actor),
      data: { ...change },
      at,
    });
    await audit.record(tx, actor, {
      action: change.granted ? 'consent.granted' : 'consent.withdrawn',
      entityType: 'customer',
      entityId: customerId,
      summary: { ...change },
    });
    return event!;
  }

  async function requireCustomer(executor: Executor, customerId: string) {
    const [customer] = await executor.select().from(customers).where(eq(customers.id, customerId));
    if (!customer) throw notFound('customer', customerId);
    return customer;
  }

  return {
    recordInTransaction,

    async record(actor: Actor, customerId: string, change: ConsentChange) {
      authorize(actor, 'customers.write');
      return db.transaction(async (tx) => {
        await requireCustomer(tx, customerId);
        return recordInTransaction(tx, actor, customerId, change);
      });
    },

    async history(actor: Actor, customerId: string) {
      authorize(actor, 'customers.read');
      await requireCustomer(db, customerId);
      return db
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.customerId, customerId))
        .orderBy(desc(consentEvents.at), desc(consentEvents.id));
    },

    /**
     * Which channel may reach this customer for this purpose now, and if none, why.
     * Delivery calls this for every message; `exclude` lists channels that already failed.
     */
    async reachability(
      customerId: string,
      purpose: Purpose,
      options: { at?: Date; exclude?: Channel[]; executor?: Executor } = {},
    ): Promise<Reachability> {
      const executor = options.executor ?? db;
      const customer = await requireCustomer(executor, customerId);
      const consents = await executor
        .select()
        .from(customerConsents)
        .where(eq(customerConsents.customerId, customerId));
      return decideChannel(customer, consents, purpose, options.at ?? clock.now(), { exclude: options.exclude });
    },
  };
}
