import { sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { rows, uuidArray, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { customerConsents, customerContacts, customers } from './customers.tables.js';
import type { ConsentState } from './reachability.js';

/** A customer as delivery routes and renders for it: the fields routing and templates read, and the current consents. */
export type DeliverableCustomer = Pick<
  typeof customers.$inferSelect,
  | 'id'
  | 'name'
  | 'givenName'
  | 'familyName'
  | 'organizationName'
  | 'emails'
  | 'phones'
  | 'fax'
  | 'address'
  | 'language'
  | 'timeZone'
  | 'attributes'
  | 'externalId'
  | 'channelPreferences'
  | 'quietHours'
  | 'undeliverable'
  | 'archivedAt'
> & { consents: ConsentState[]; contactEmails: string[] };

/**
 * What delivery reads from and writes to customers, a whole batch per statement in the caller's
 * transaction: who they are and may be reached by, when they were last written to, which addresses
 * failed for good. Part of the customers service's surface (`customers.loadForDelivery`, …).
 */
export function createCustomerDelivery({ audit }: { audit: Pick<AuditTrail, 'record'> }) {
  return {
    /**
     * For delivery: many customers with their current consents in one statement, by id, with only
     * the fields routing and templates read. A customer that does not exist is missing from the map.
     */
    async loadForDelivery(executor: Executor, ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, DeliverableCustomer>();
      const found = await executor
        .select({
          customer: {
            id: customers.id,
            name: customers.name,
            givenName: customers.givenName,
            familyName: customers.familyName,
            organizationName: customers.organizationName,
            emails: customers.emails,
            phones: customers.phones,
            fax: customers.fax,
            address: customers.address,
            language: customers.language,
            timeZone: customers.timeZone,
            attributes: customers.attributes,
            externalId: customers.externalId,
            channelPreferences: customers.channelPreferences,
            quietHours: customers.quietHours,
            undeliverable: customers.undeliverable,
            archivedAt: customers.archivedAt,
          },
          consents: sql<ConsentState[]>`coalesce((
          select jsonb_agg(jsonb_build_object('channel', cc.channel, 'purpose', cc.purpose, 'granted', cc.granted))
          from ${customerConsents} cc where cc.customer_id = ${customers.id}), '[]'::jsonb)`,
          // Spelled out: a column interpolated here is written unqualified, and would name the contact's own id.
          contactEmails: sql<string[]>`to_jsonb(array(
          select lower(ct.email) from ${customerContacts} ct where ct.customer_id = "customers"."id" and ct.email is not null))`,
        })
        .from(customers)
        .where(sql`${customers.id} = any(${uuidArray(ids)})`);
      return new Map(
        found.map((row) => [
          row.customer.id,
          { ...row.customer, consents: row.consents, contactEmails: row.contactEmails },
        ]),
      );
    },

    /**
     * The time each customer was last written to, in one statement in the caller's transaction
     * (the one that records the hand-over). A later time already stored is kept.
     */
    async recordContact(executor: Executor, contacts: readonly { customerId: string; at: Date }[]) {
      if (contacts.length === 0) return;
      const latest = new Map<string, Date>();
      for (const { customerId, at } of contacts) {
        const known = latest.get(customerId);
        if (!known || known < at) latest.set(customerId, at);
      }
      await executor.execute(sql`
      update ${customers} c set last_contacted_at = v.at
      from unnest(${uuidArray([...latest.keys()])}, ${`{${[...latest.values()].map((at) => at.toISOString()).join(',')}}`}::timestamptz[]) as v(id, at)
      where c.id = v.id and (c.last_contacted_at is null or c.last_contacted_at < v.at)`);
    },

    /**
     * Addresses that failed for good ("email:ann@example.com"), never routed to again: added to each
     * customer's undeliverable list in the caller's transaction, one audit event per customer whose
     * list changed. Returns the ids of those customers.
     */
    async markUndeliverable(
      executor: Executor,
      actor: Actor,
      entries: readonly { customerId: string; channel: string; address: string; reason: string }[],
    ): Promise<string[]> {
      if (entries.length === 0) return [];
      const changed = await rows<{ id: string; added: string[] }>(
        executor,
        sql`with wanted as (
            select v.id, array_agg(distinct v.key) as keys
            from jsonb_to_recordset(${JSON.stringify(entries.map((entry) => ({ id: entry.customerId, key: `${entry.channel}:${entry.address}` })))}::jsonb)
              as v(id uuid, key text)
            group by v.id),
          fresh as (
            select c.id, array(select k from unnest(w.keys) k where not (k = any(c.undeliverable))) as added
            from ${customers} c join wanted w on w.id = c.id)
          update ${customers} c set undeliverable = c.undeliverable || f.added
          from fresh f where c.id = f.id and cardinality(f.added) > 0
          returning c.id, f.added`,
      );
      for (const { id, added } of changed) {
        const reasons = entries.filter((entry) => entry.customerId === id).map((entry) => entry.reason);
        await audit.record(executor, actor, {
          action: 'customer.address_undeliverable',
          entityType: 'customer',
          entityId: id,
          summary: { addresses: added, reason: [...new Set(reasons)].join('; ') },
        });
      }
      return changed.map((row) => row.id);
    },
  };
}
