import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** Two customers that look alike, and why. */
type FoundPair = { a: string; b: string; reason: string };

/** Pairs of active customers holding one value in a list of theirs (emails, phones), named `what`. */
const sharing = (list: typeof customers.emails | typeof customers.phones, what: string) => sql`
  select x.id as a, y.id as b, ${what}::text || ' ' || shared.value as reason
  from (
    select value collate "C" as value, array_agg(id order by id) as ids
    from ${customers}, unnest(${list}) as value
    where archived_at is null
    group by value collate "C" having count(*) > 1
  ) as shared, unnest(shared.ids) as x(id), unnest(shared.ids) as y(id)
  where x.id < y.id`;

const sameEmail = sharing(customers.emails, 'same email');
const samePhone = sharing(customers.phones, 'same phone');

/** Pairs of active customers with similar names at one street address, in any case and spacing. */
const similarNameAtSameAddress = sql`
  select x.id as a, y.id as b, 'similar name at the same address' as reason
  from (
    select array_agg(id order by id) as ids, array_agg(name order by id) as names
    from ${customers}
    where archived_at is null and address -> 'lines' ->> 0 is not null
    group by address ->> 'country', address ->> 'postalCode', lower(btrim(address -> 'lines' ->> 0)) collate "C"
    having count(*) > 1
  ) as shared,
    unnest(shared.ids, shared.names) as x(id, name),
    unnest(shared.ids, shared.names) as y(id, name)
  where x.id < y.id and similarity(x.name, y.name) >= 0.5`;

export type DuplicatesService = ReturnType<typeof createDuplicatesService>;

export function createDuplicatesService({ db, audit }: { db: Database; audit: Pick<AuditTrail, 'record'> }) {
  return {
    /**
     * Likely duplicates among active customers: the same email or phone, or a similar name at the
     * same address (country, postal code and street line). Pairs someone dismissed are left out.
     *
     * Customers are grouped by each key, so the work grows with the customers, not with their
     * pairs: comparing every customer with every other took over five minutes at 20,000. Keys are
     * grouped by their bytes (collation "C"): equal is all that matters, and sorting by language
     * rules costs more. One statement a key, strongest first, until the list is full: each groups
     * every customer (1–2 s at 1,000,000 on PostgreSQL).
     */
    async detect(actor: Actor, limit = 100) {
      authorize(actor, 'customers.read');
      const wanted = limit * 4;
      const found: FoundPair[] = [];
      for (const pairsSharing of [sameEmail, samePhone, similarNameAtSameAddress]) {
        if (found.length >= wanted) break;
        // On the embedded database each statement holds this thread: others get a turn before each.
        await nextTurn();
        found.push(
          ...(await rows<FoundPair>(
            db,
            sql`
              with found as (${pairsSharing})
              select found.a, found.b, found.reason from found
              where not exists (
                select 1 from ${duplicateDismissals} d
                where (d.customer_a = found.a and d.customer_b = found.b) or (d.customer_a = found.b and d.customer_b = found.a)
              )
              limit ${wanted - found.length}`,
          )),
        );
      }
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
