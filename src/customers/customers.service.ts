import { and, asc, desc, eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { users } from '../users/users.tables.js';
import { authorize } from '../auth/policy.js';
import { isUniqueViolation, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { normalizeEmail, normalizePhone } from './customer-fields.js';
import { createCustomerDelivery } from './customer-delivery.js';
import { createCustomerList } from './customer-list.js';
import { customerColumns, invalidCustomer } from './customer-input.js';
import type { AttributesService } from './attributes.service.js';
import type { CreateCustomerInput, UpdateCustomerInput } from './customers.schemas.js';
import { customerConsents, customerContacts, customers } from './customers.tables.js';
import type { ConsentService } from './consent.service.js';
import type { SegmentFilter } from './segment-filter.js';
import type { PortalAccess } from '../portal/portal-viewer.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';

export type Customer = typeof customers.$inferSelect;
const externalIdTaken = (externalId: string) =>
  new AppError('conflict', 'customer.external_id_taken', `Another customer already has external id ${externalId}.`, [
    { path: 'body.externalId', message: 'is already taken' },
  ]);

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
  const list = createCustomerList({ db, segmentFilter: deps.segmentFilter, defaultCountry: deps.defaultCountry });

  async function load(executor: Executor, id: string) {
    const [row] = await executor
      .select({ customer: customers, owner: { id: users.id, name: users.name } })
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(eq(customers.id, id));
    if (!row) throw notFound('customer', id);
    // One after the other: the executor may be a transaction, one connection that runs one statement
    // at a time (pg queues a second one sent meanwhile, and refuses it from pg 9 on).
    const contacts = await executor
      .select()
      .from(customerContacts)
      .where(eq(customerContacts.customerId, id))
      .orderBy(desc(customerContacts.primary), asc(customerContacts.name));
    const consents = await executor
      .select()
      .from(customerConsents)
      .where(eq(customerConsents.customerId, id))
      .orderBy(asc(customerConsents.channel), asc(customerConsents.purpose));
    return { ...row.customer, owner: row.owner?.id ? row.owner : null, contacts, consents };
  }

  async function checkOwner(executor: Executor, ownerId: string | null | undefined) {
    if (!ownerId) return;
    const [owner] = await executor.select({ id: users.id }).from(users).where(eq(users.id, ownerId));
    if (!owner) throw invalidCustomer([{ path: 'ownerId', message: `no user with id ${ownerId}` }]);
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

    ...list,

    /** For other domains: the customer row itself, without the access check of the staff view. */
    load: (executor: Executor, id: string) => load(executor, id),

    ...delivery,
  };
}
