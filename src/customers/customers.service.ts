import { and, arrayContains, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { users } from '../users/users.tables.js';
import { authorize } from '../auth/policy.js';
import { isUniqueViolation, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { normalizeEmail, normalizePhone } from './customer-fields.js';
import { exactLookup, searchNames } from './customer-search.js';
import { createCustomerDelivery } from './customer-delivery.js';
import { customerColumns, invalidCustomer } from './customer-input.js';
import type { AttributesService } from './attributes.service.js';
import type { CreateCustomerInput, ListCustomersQuery, UpdateCustomerInput } from './customers.schemas.js';
import { customerConsents, customerContacts, customers } from './customers.tables.js';
import type { ConsentService } from './consent.service.js';
import { segmentCondition, type SegmentFilter } from './segment-filter.js';
import type { PortalAccess } from '../portal/portal-viewer.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';

export type Customer = typeof customers.$inferSelect;
const externalIdTaken = (externalId: string) =>
  new AppError('conflict', 'customer.external_id_taken', `Another customer already has external id ${externalId}.`, [
    { path: 'body.externalId', message: 'is already taken' },
  ]);

const sortKeys = {
  name: { expression: customers.name, type: 'text' },
  created: { expression: customers.createdAt, type: 'timestamptz' },
  updated: { expression: customers.updatedAt, type: 'timestamptz' },
} as const;

/** The id breaks ties: two customers of one name, or one import's rows created at the same instant. */
const listOrder = (sort: keyof typeof sortKeys, order: 'asc' | 'desc') =>
  keyset([sortKeys[sort], { expression: customers.id, type: 'uuid' }], order);

export type CustomersService = ReturnType<typeof createCustomersService>;

/** Unless told otherwise, an organization's primary contact sees everything in the portal, others only their own requests. */
const portalAccessOf = (contact: { primary?: boolean; portalAccess?: PortalAccess }): PortalAccess =>
  contact.portalAccess ?? (contact.primary ? 'full' : 'service');

export function createCustomersService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'append' | 'page'>;
  consent: Pick<ConsentService, 'recordInTransaction'>;
  attributes: Pick<AttributesService, 'definitions'>;
  segmentFilter: (segmentId: string) => Promise<SegmentFilter>;
  clock: Clock;
  defaultCountry: string;
}) {
  const { db, audit, timeline, clock } = deps;
  const delivery = createCustomerDelivery({ audit });

  async function load(executor: Executor, id: string) {
    const [row] = await executor
      .select({ customer: customers, owner: { id: users.id, name: users.name } })
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(eq(customers.id, id));
    if (!row) throw notFound('customer', id);
    const [contacts, consents] = await Promise.all([
      executor
        .select()
        .from(customerContacts)
        .where(eq(customerContacts.customerId, id))
        .orderBy(desc(customerContacts.primary), asc(customerContacts.name)),
      executor
        .select()
        .from(customerConsents)
        .where(eq(customerConsents.customerId, id))
        .orderBy(asc(customerConsents.channel), asc(customerConsents.purpose)),
    ]);
    return { ...row.customer, owner: row.owner?.id ? row.owner : null, contacts, consents };
  }

  async function checkOwner(executor: Executor, ownerId: string | null | undefined) {
    if (!ownerId) return;
    const [owner] = await executor.select({ id: users.id }).from(users).where(eq(users.id, ownerId));
    if (!owner) throw invalidCustomer([{ path: 'ownerId', message: `no user with id ${ownerId}` }]);
  }

  /** The list's filters as conditions, and the search term when it is a fuzzy name rather than an exact key. */
  async function filtersOf(query: Omit<ListCustomersQuery, 'cursor' | 'limit'>) {
    const conditions: (SQL | undefined)[] = [
      query.archived === 'false'
        ? isNull(customers.archivedAt)
        : query.archived === 'true'
          ? isNotNull(customers.archivedAt)
          : undefined,
      query.lifecycle ? inArray(customers.lifecycleStage, [query.lifecycle].flat()) : undefined,
      query.tag ? arrayContains(customers.tags, [query.tag].flat()) : undefined,
      query.kind ? eq(customers.kind, query.kind) : undefined,
      query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
      query.segment
        ? segmentCondition({ ...(await deps.segmentFilter(query.segment)), includeArchived: true })
        : undefined,
    ];
    const term = query.q?.trim();
    if (!term) return { conditions };
    const lookup = exactLookup(term, deps.defaultCountry);
    if (!lookup) return { conditions, name: term };
    return { conditions: [...conditions, lookup] };
  }

  return {
    /** The customer's touchpoints, newest first, a page at a time; the cursor is the one the last page gave. */
    async timeline(actor: Actor, id: string, options: { cursor?: string; limit: number; kind?: string }) {
      authorize(actor, 'customers.read');
      const [exists] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, id));
      if (!exists) throw notFound('customer', id);
      return timeline.page(id, options);
    },

    get(actor: Actor, id: string) {
      authorize(actor, 'customers.read');
      return load(db, id);
    },

    async create(actor: Actor, input: CreateCustomerInput) {
      authorize(actor, 'customers.write');
      const definitions = await deps.attributes.definitions(db);
      const empty = { kind: input.kind, givenName: null, familyName: null, organizationName: null, address: null };
      const { columns, problems } = customerColumns(input, empty, definitions, deps.defaultCountry);
      if (input.kind === 'person' && input.contacts?.length)
        problems.push({ path: 'contacts', message: 'only organizations have contact persons' });
      if (problems.length) throw invalidCustomer(problems);
      try {
        return await db.transaction(async (tx) => {
          await checkOwner(tx, input.ownerId);
          const [created] = await tx
            .insert(customers)
            .values({ ...columns, kind: input.kind })
            .returning();
          const id = created!.id;
          if (input.contacts?.length)
            await tx.insert(customerContacts).values(
              input.contacts.map((contact) => ({
                ...contact,
                portalAccess: portalAccessOf(contact),
                customerId: id,
              })),
            );
          for (const consent of input.consents ?? []) await deps.consent.recordInTransaction(tx, actor, id, consent);
          await audit.record(tx, actor, {
            action: 'customer.created',
            entityType: 'customer',
            entityId: id,
            summary: { name: columns.name, kind: input.kind },
          });
          await timeline.append(tx, {
            customerId: id,
            kind: 'customer',
            title: 'Customer created',
            actorLabel: actorLabel(actor),
            subjectType: 'customer',
            subjectId: id,
          });
          return load(tx, id);
        });
      } catch (error) {
        if (isUniqueViolation(error) && input.externalId) throw externalIdTaken(input.externalId);
        throw error;
      }
    },

    async update(actor: Actor, id: string, input: UpdateCustomerInput) {
      authorize(actor, 'customers.write');
      const definitions = await deps.attributes.definitions(db);
      try {
        return await db.transaction(async (tx) => {
          const before = await load(tx, id);
          const { columns, problems } = customerColumns(input, before, definitions, deps.defaultCountry);
          if (problems.length) throw invalidCustomer(problems);
          await checkOwner(tx, input.ownerId);
          const changed = Object.fromEntries(
            Object.entries(columns).filter(
              ([key, value]) =>
                value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key as keyof typeof before]),
            ),
          );
          if (Object.keys(changed).length === 0) return before;
          await tx
            .update(customers)
            .set({ ...changed, updatedAt: clock.now() })
            .where(eq(customers.id, id));
          const fields = Object.keys(changed).filter((key) => key !== 'name');
          await audit.record(tx, actor, {
            action: 'customer.updated',
            entityType: 'customer',
            entityId: id,
            summary: Object.fromEntries(
              fields.map((key) => [
                key,
                { from: before[key as keyof typeof before] ?? null, to: changed[key] ?? null },
              ]),
            ),
          });
          await timeline.append(tx, {
            customerId: id,
            kind: 'customer',
            title: `Changed ${fields.join(', ')}`,
            actorLabel: actorLabel(actor),
            data: { fields },
          });
          return load(tx, id);
        });
      } catch (error) {
        if (isUniqueViolation(error) && input.externalId) throw externalIdTaken(input.externalId);
        throw error;
      }
    },

    async setArchived(actor: Actor, id: string, archived: boolean) {
      authorize(actor, 'customers.write');
      return db.transaction(async (tx) => {
        const before = await load(tx, id);
        if (Boolean(before.archivedAt) === archived) return before;
        if (archived) await assertNotHeld(tx, [{ type: 'customer', id }], 'archived');
        if (!archived && before.mergedInto) {
          throw new AppError(
            'conflict',
            'customer.merged',
            `This customer was merged into ${before.mergedInto} and cannot be restored.`,
          );
        }
        await tx
          .update(customers)
          .set({ archivedAt: archived ? clock.now() : null, updatedAt: clock.now() })
          .where(eq(customers.id, id));
        const action = archived ? 'customer.archived' : 'customer.restored';
        await audit.record(tx, actor, { action, entityType: 'customer', entityId: id, summary: { name: before.name } });
        await timeline.append(tx, {
          customerId: id,
          kind: 'customer',
          title: archived ? 'Archived' : 'Restored',
          actorLabel: actorLabel(actor),
        });
        return load(tx, id);
      });
    },

    async addNote(actor: Actor, id: string, body: string) {
      authorize(actor, 'customers.write');
      return db.transaction(async (tx) => {
        await load(tx, id);
        const entry = await timeline.append(tx, {
          customerId: id,
          kind: 'note',
          title: 'Note',
          body,
          actorLabel: actorLabel(actor),
        });
        await audit.record(tx, actor, {
          action: 'customer.note_added',
          entityType: 'customer',
          entityId: id,
          summary: { entryId: entry.id },
        });
        return entry;
      });
    },

    async addContact(
      actor: Actor,
      id: string,
      contact: {
        name: string;
        role?: string;
        email?: string;
        phone?: string;
        primary?: boolean;
        portalAccess?: PortalAccess;
      },
    ) {
      authorize(actor, 'customers.write');
      return db.transaction(async (tx) => {
        const customer = await load(tx, id);
        if (customer.kind !== 'organization')
          throw new AppError('conflict', 'customer.not_organization', 'Only organizations have contact persons.');
        const phone = contact.phone
          ? normalizePhone(contact.phone, customer.address?.country ?? deps.defaultCountry)
          : undefined;
        if (contact.phone && !phone)
          throw invalidCustomer([{ path: 'phone', message: `"${contact.phone}" is not a valid phone number` }]);
        if (contact.primary)
          await tx.update(customerContacts).set({ primary: false }).where(eq(customerContacts.customerId, id));
        const [created] = await tx
          .insert(customerContacts)
          .values({
            ...contact,
            phone,
            email: contact.email && normalizeEmail(contact.email),
            portalAccess: portalAccessOf(contact),
            customerId: id,
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'customer.contact_added',
          entityType: 'customer',
          entityId: id,
          summary: { contactId: created!.id, name: contact.name },
        });
        return created!;
      });
    },

    /** What a contact may do in the portal; 'none' also ends their open portal sessions at their next request. */
    async setContactPortalAccess(actor: Actor, id: string, contactId: string, portalAccess: PortalAccess) {
      authorize(actor, 'customers.write');
      return db.transaction(async (tx) => {
        const [changed] = await tx
          .update(customerContacts)
          .set({ portalAccess, updatedAt: clock.now() })
          .where(and(eq(customerContacts.id, contactId), eq(customerContacts.customerId, id)))
          .returning();
        if (!changed) throw notFound('contact', contactId);
        await audit.record(tx, actor, {
          action: 'customer.contact_portal_access',
          entityType: 'customer',
          entityId: id,
          summary: { contactId, name: changed.name, portalAccess },
        });
        return changed;
      });
    },

    async removeContact(actor: Actor, id: string, contactId: string) {
      authorize(actor, 'customers.write');
      await db.transaction(async (tx) => {
        await assertNotHeld(tx, [{ type: 'customer', id }], 'stripped of a contact person');
        const [removed] = await tx
          .delete(customerContacts)
          .where(and(eq(customerContacts.id, contactId), eq(customerContacts.customerId, id)))
          .returning();
        if (!removed) throw notFound('contact', contactId);
        await audit.record(tx, actor, {
          action: 'customer.contact_removed',
          entityType: 'customer',
          entityId: id,
          summary: { contactId, name: removed.name },
        });
      });
    },

    /**
     * Lists customers with filters, keyset-paged by the sort column so deep pages stay fast.
     * A search term is an email, a phone number or an external id (paged like the list), or a fuzzy
     * name (ranked by similarity, one page).
     */
    async list(actor: Actor, query: ListCustomersQuery) {
      authorize(actor, 'customers.read');
      const { conditions, name } = await filtersOf(query);
      if (name) return { customers: await searchNames(db, name, conditions, query.limit), nextCursor: null };
      const order = listOrder(query.sort, query.order);
      const rows = await db
        .select({ customer: customers, position: order.position })
        .from(customers)
        .where(and(...conditions, order.after(query.cursor)))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      const page = order.page(rows, query.limit);
      return { customers: page.rows.map((row) => row.customer), nextCursor: page.nextCursor };
    },

    /**
     * Every customer the list's filters match, in the list's order, `size` at a time: one keyset
     * statement per batch, never the whole list in memory (exports). `cells` are what is read of
     * each customer, as text, so that a million rows are not made into objects first. A fuzzy name
     * search yields its ranked matches, as the list shows them.
     */
    async *scan(
      actor: Actor,
      query: Omit<ListCustomersQuery, 'cursor' | 'limit'>,
      size: number,
      cells: SQL<string | null>[],
    ): AsyncGenerator<(string | null)[][]> {
      authorize(actor, 'customers.read');
      const fields = Object.fromEntries(cells.map((cell, index) => [`c${index}`, cell]));
      const asCells = (row: Record<string, string | null>) => cells.map((_, index) => row[`c${index}`] ?? null);
      const { conditions, name } = await filtersOf(query);
      if (name) {
        const found = await searchNames(db, name, conditions, size);
        if (!found.length) return;
        const rows = await db
          .select({ id: customers.id, ...fields })
          .from(customers)
          .where(
            inArray(
              customers.id,
              found.map((customer) => customer.id),
            ),
          );
        const byId = new Map(rows.map((row) => [row.id, row]));
        yield found.map((customer) => asCells(byId.get(customer.id)!));
        return;
      }
      const order = listOrder(query.sort, query.order);
      let cursor: string | undefined;
      do {
        const after = cursor;
        const rows = await db.transaction(async (tx) => {
          // A batch is estimated as a big query; compiling it (JIT) would cost more than running it.
          await tx.execute(sql`select set_config('jit', 'off', true)`);
          return tx
            .select({ ...fields, position: order.position })
            .from(customers)
            .where(and(...conditions, order.after(after)))
            .orderBy(...order.orderBy)
            .limit(size + 1);
        });
        const page = order.page(rows, size);
        if (page.rows.length) yield page.rows.map(asCells);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },

    /** For other domains: the customer row itself, without the access check of the staff view. */
    load: (executor: Executor, id: string) => load(executor, id),

    ...delivery,
  };
}
