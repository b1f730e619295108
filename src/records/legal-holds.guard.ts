import { sql, type SQL } from 'drizzle-orm';
import { rows, uuidArray, type Executor } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import type { HeldObjectType } from './legal-holds.tables.js';

export type HeldObject = { type: HeldObjectType; id: string };

export type CoveringHold = { objectId: string; holdId: string; matter: string };

/**
 * When an active hold's scope line covers an object (`s` a scope line, `o.id` the object):
 * - a customer: named itself;
 * - a ticket: named, or its customer named;
 * - a communication (and so its archived copy): named, its customer named, or a named ticket is about it;
 * - a document: named, or linked to a named customer, ticket or communication (either side of the link).
 */
const covers: Record<HeldObjectType, SQL> = {
  customer: sql`s.kind = 'customer' and s.target_id = o.id`,
  ticket: sql`(s.kind = 'ticket' and s.target_id = o.id)
    or (s.kind = 'customer' and s.target_id = (select t.customer_id from tickets t where t.id = o.id))`,
  communication: sql`(s.kind = 'communication' and s.target_id = o.id)
    or (s.kind = 'customer' and s.target_id = (select c.customer_id from communications c where c.id = o.id))
    or (s.kind = 'ticket' and exists (
      select 1 from tickets t where t.id = s.target_id and t.communication_id = o.id
      union all
      select 1 from ticket_links tl where tl.ticket_id = s.target_id and tl.target_type = 'communication' and tl.target_id = o.id))`,
  document: sql`(s.kind = 'document' and s.target_id = o.id)
    or (s.kind in ('customer', 'ticket', 'communication') and exists (
      select 1 from document_links l where l.document_id = o.id and l.target_type = s.kind and l.target_id = s.target_id))
    or (s.kind = 'ticket' and exists (
      select 1 from ticket_links tl where tl.ticket_id = s.target_id and tl.target_type = 'document' and tl.target_id = o.id))`,
};

/**
 * The objects of one type a hold's scope covers, by the same rules as `covers` read from the scope
 * side (so each line finds its objects by index instead of every object being tested).
 */
const coveredBy: Record<HeldObjectType, (holdId: string) => SQL> = {
  customer: (holdId) =>
    sql`select s.target_id as id from legal_hold_scopes s where s.hold_id = ${holdId} and s.kind = 'customer'`,
  ticket: (
    holdId,
  ) => sql`select s.target_id as id from legal_hold_scopes s where s.hold_id = ${holdId} and s.kind = 'ticket'
    union select t.id from legal_hold_scopes s join tickets t on t.customer_id = s.target_id
      where s.hold_id = ${holdId} and s.kind = 'customer'`,
  communication: (
    holdId,
  ) => sql`select s.target_id as id from legal_hold_scopes s where s.hold_id = ${holdId} and s.kind = 'communication'
    union select c.id from legal_hold_scopes s join communications c on c.customer_id = s.target_id
      where s.hold_id = ${holdId} and s.kind = 'customer'
    union select t.communication_id from legal_hold_scopes s join tickets t on t.id = s.target_id
      where s.hold_id = ${holdId} and s.kind = 'ticket' and t.communication_id is not null
    union select tl.target_id from legal_hold_scopes s join ticket_links tl on tl.ticket_id = s.target_id
      where s.hold_id = ${holdId} and s.kind = 'ticket' and tl.target_type = 'communication'`,
  document: (
    holdId,
  ) => sql`select s.target_id as id from legal_hold_scopes s where s.hold_id = ${holdId} and s.kind = 'document'
    union select l.document_id from legal_hold_scopes s join document_links l on l.target_type = s.kind and l.target_id = s.target_id
      where s.hold_id = ${holdId} and s.kind in ('customer', 'ticket', 'communication')
    union select tl.target_id from legal_hold_scopes s join ticket_links tl on tl.ticket_id = s.target_id
      where s.hold_id = ${holdId} and s.kind = 'ticket' and tl.target_type = 'document'`,
};

/** The ids of the objects of one type a hold covers (whether or not it is still active). */
export async function objectsUnderHold(executor: Executor, holdId: string, type: HeldObjectType) {
  return (await rows<{ id: string }>(executor, coveredBy[type](holdId))).map((row) => row.id);
}

/** How many objects of one type a hold covers, without listing them. */
export function countUnderHold(holdId: string, type: HeldObjectType) {
  return sql<number>`(select count(*)::int from (${coveredBy[type](holdId)}) covered)`;
}

/** Placing or widening a hold and destroying records' content take turns: no hold lands between a check and a destruction. */
const HOLDS_LOCK = 0x686f_6c64;

export async function serializeWithHolds(tx: Executor) {
  await tx.execute(sql`select pg_advisory_xact_lock(${HOLDS_LOCK})`);
}

/** Every active hold covering each of these objects of one type, oldest hold first. */
export async function holdsCovering(executor: Executor, type: HeldObjectType, ids: readonly string[]) {
  if (!ids.length) return [];
  return rows<CoveringHold>(
    executor,
    sql`select distinct o.id as "objectId", h.id as "holdId", h.matter, h.placed_at
      from unnest(${uuidArray(ids)}) as o(id)
      join legal_hold_scopes s on (${covers[type]})
      join legal_holds h on h.id = s.hold_id and h.released_at is null
      order by h.placed_at, h.id`,
  );
}

/** The ids among these that an active hold covers. */
export async function heldAmong(executor: Executor, type: HeldObjectType, ids: readonly string[]) {
  return new Set((await holdsCovering(executor, type, ids)).map((hold) => hold.objectId));
}

/**
 * Refuses an action (a past participle: "deleted", "merged away") on held objects: a 409 `hold.active`
 * naming the matter. Callers that delete, dispose, merge away or alter customers, documents, tickets
 * or communications call it inside the transaction that does it, so a hold placed meanwhile is seen.
 */
export async function assertNotHeld(executor: Executor, objects: readonly HeldObject[], action: string) {
  const types = [...new Set(objects.map((object) => object.type))];
  for (const type of types) {
    const ids = objects.filter((object) => object.type === type).map((object) => object.id);
    const [hold] = await holdsCovering(executor, type, ids);
    if (hold)
      throw new AppError(
        'conflict',
        'hold.active',
        `The ${type} ${hold.objectId} is under legal hold for the matter "${hold.matter}"; it cannot be ${action}.`,
        [{ path: `${type}.${hold.objectId}`, message: `held for "${hold.matter}" (hold ${hold.holdId})` }],
      );
  }
}
