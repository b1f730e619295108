import { eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { rows, type Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { customers, duplicateDismissals } from './customers.tables.js';

export type DuplicatePair = { customerIds: [string, string]; reasons: string[] };

/** Orders a pair so (a, b) and (b, a) are one pair. */
const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;

export function createDuplicatesService({ db, audit }: { db: Database; audit: Pick<AuditTrail, 'record'> }) {
  return {
    /**
     * Likely duplicates among active customers: the same email or phone, or a similar name at the
     * same postal code. Pairs someone dismissed are left out.
     */
    async detect(actor: Actor, limit = 100) {
      authorize(actor, 'customers.read');
      const found = await rows<{ a: string; b: string; reason: string }>(
        db,
        sql`
          with active as (select * from customers where archived_at is null),
          by_email as (
            select x.id as a, y.id as b, 'same email ' || e as reason
            from active x cross join lateral unnest(x.emails) e join active y on y.emails @> array[e] and y.id > x.id
          ),
          by_phone as (
            select x.id as a, y.id as b, 'same phone ' || p as reason
            from active x cross join lateral unnest(x.phones) p join active y on y.phones @> array[p] and y.id > x.id
          ),
          by_name as (
            select x.id as a, y.id as b, 'similar name at the same address' as reason
            from active x join active y
              on y.id > x.id and x.address is not null
             and y.address->>'postalCode' = x.address->>'postalCode' and y.address->>'country' = x.address->>'country'
             and similarity(x.name, y.name) >= 0.5
          )
          select p.a, p.b, p.reason from (select * from by_email union all select * from by_phone union all select * from by_name) p
          where not exists (
            select 1 from ${duplicateDismissals} d
            where (d.customer_a = p.a and d.customer_b = p.b) or (d.customer_a = p.b and d.customer_b = p.a)
          )
          limit ${limit * 4}`,
      );
      const pairs = new Map<string, DuplicatePair>();
      for (const row of found) {
        const ids = ordered(row.a, row.b);
        const key = ids.join(':');
        const pair = pairs.get(key) ?? { customerIds: ids, reasons: [] };
        if (!pair.reasons.includes(row.reason)) pair.reasons.push(row.reason);
        pairs.set(key, pair);
      }
      const list = [...pairs.values()].slice(0, limit);
      const ids = [...new Set(list.flatMap((pair) => pair.customerIds))];
      const people = ids.length ? await db.select().from(customers).where(inArray(customers.id, ids)) : [];
      const byId = new Map(people.map((customer) => [customer.id, customer]));
      return list.map((pair) => ({ ...pair, customers: pair.customerIds.map((id) => byId.get(id)!) }));
    },

    async dismiss(actor: Actor, a: string, b: string) {
      authorize(actor, 'customers.merge');
      const [customerA, customerB] = ordered(a, b);
      const known = await db
        .select({ id: customers.id })
        .from(customers)
        .where(inArray(customers.id, [customerA, customerB]));
      const unknown = [customerA, customerB].filter((id) => !known.some((customer) => customer.id === id));
      if (unknown.length)
        throw new AppError('not_found', 'customer.not_found', `No customer with id ${unknown.join(' or ')}.`, [
          { path: 'body.customerIds', message: `has no customer ${unknown.join(', ')}` },
        ]);
      await db.transaction(async (tx) => {
        await tx
          .insert(duplicateDismissals)
          .values({ customerA, customerB, dismissedBy: actorLabel(actor) })
          .onConflictDoNothing();
        await audit.record(tx, actor, {
          action: 'customer.duplicate_dismissed',
          entityType: 'customer',
          entityId: customerA,
          summary: { other: customerB },
        });
      });
    },

    dismissals: (customerId: string) =>
      db.select().from(duplicateDismissals).where(eq(duplicateDismissals.customerA, customerId)),
  };
}
