import { and, asc, eq, ilike, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import { communications } from '../communications/communications.tables.js';
import { received } from '../communications/version-recipients.js';
import { customers } from '../customers/customers.tables.js';
import type { LinkedRecords } from '../customers/merge.service.js';
import type { Database, Executor } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';
import { AppError, notFound } from '../shared/errors.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { teamMembers } from '../users/users.tables.js';
import type { QueuesService } from './queues.service.js';
import { breachesUnder } from './sla/sla-rules.js';
import { slaBreachingSoon, slaOverdue, type SlaService } from './sla/sla.service.js';
import { createTicketConversation, type IncomingMessage } from './ticket-conversation.js';
import { nextTicketStatus, ticketLabel, type TicketAction } from './ticket-lifecycle.js';
import { createTicketMerge } from './ticket-merge.js';
import {
  createTicketRecords,
  invalidTicket,
  newestFirst,
  openStatuses,
  type Ticket,
  type TicketMessage,
} from './ticket-records.js';
import type { CreateTicketInput, ListTicketsQuery, UpdateTicketInput } from './tickets.schemas.js';
import { ticketLinks, ticketMessages, ticketQueues, tickets, type TicketLinkTarget } from './tickets.tables.js';

export { openStatuses, type IncomingMessage, type Ticket, type TicketMessage };

export type TicketsService = ReturnType<typeof createTicketsService>;

/**
 * Requests, inquiries and complaints: who raised them about what, who works them, the
 * conversation, and their status by the lifecycle's table. Every change is audited and shown on the
 * customer's timeline, in the transaction that makes it.
 */
export function createTicketsService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'append'>;
  notifications: Pick<NotificationsService, 'notify'>;
  queues: Pick<QueuesService, 'assigneeFor'>;
  sla: Pick<SlaService, 'dueTimesFor' | 'onStatusChange'>;
  communications: Pick<CommunicationsService, 'sendIn'>;
  blobs: Pick<BlobStore, 'size' | 'put' | 'read'>;
  attachmentMaxBytes: number;
  clock: Clock;
}) {
  const { db, sla, clock } = deps;
  const records = createTicketRecords(deps);
  const { load, present, presentOne, concerned, checkAssignee, checkQueue, checkContact, record } = records;
  const conversation = createTicketConversation({ ...deps, records });

  async function create(actor: Actor, input: CreateTicketInput, firstMessage?: IncomingMessage) {
    authorize(actor, 'tickets.work');
    return db.transaction(async (tx) => {
      const [customer] = await tx
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(eq(customers.id, input.customerId));
      if (!customer) throw invalidTicket('customerId', `names no customer (${input.customerId})`);
      if (input.contactId) await checkContact(tx, input.contactId, customer.id);
      const templateVersionId = input.communicationId ? await concerned(tx, input.communicationId, customer.id) : null;
      if (input.assigneeId) await checkAssignee(tx, input.assigneeId);
      const assigneeId = input.assigneeId ?? (input.queueId ? await deps.queues.assigneeFor(tx, input.queueId) : null);
      const now = clock.now();
      const due = await sla.dueTimesFor(tx, { kind: input.kind, priority: input.priority, createdAt: now });
      const [ticket] = await tx
        .insert(tickets)
        .values({
          ...due,
          kind: input.kind,
          subject: input.subject,
          customerId: customer.id,
          contactId: input.contactId,
          source: input.source,
          queueId: input.queueId,
          assigneeId,
          priority: input.priority,
          tags: input.tags,
          communicationId: input.communicationId,
          templateVersionId,
          createdBy: await records.staffLabel(tx, actor),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const message = firstMessage ?? (input.message ? { body: input.message, authorLabel: customer.name } : undefined);
      if (message)
        await records.insertMessage(tx, { ...message, ticketId: ticket!.id, kind: 'customer', createdAt: now });
      await record(tx, actor, ticket!, {
        action: 'create',
        title: `opened: ${ticket!.subject}`,
        body: message?.body,
        summary: { kind: ticket!.kind, source: ticket!.source, communicationId: ticket!.communicationId },
      });
      await records.notifyAssigned(tx, actor, ticket!);
      return presentOne(tx, ticket!.id);
    });
  }

  return {
    create,
    ...conversation,
    ...createTicketMerge({ db, records, sla, clock }),

    async get(actor: Actor, id: string) {
      authorize(actor, 'tickets.read');
      const ticket = await presentOne(db, id);
      const [messages, links, communication] = await Promise.all([
        db
          .select()
          .from(ticketMessages)
          .where(eq(ticketMessages.ticketId, id))
          .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
        db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, id)).orderBy(asc(ticketLinks.createdAt)),
        ticket.communicationId
          ? db
              .select({
                id: communications.id,
                archiveSha256: communications.archiveSha256,
                status: communications.status,
                channel: communications.channel,
                templateName: templates.name,
                templateVersionNumber: templateVersions.number,
                archiveMediaType: communications.archiveMediaType,
                sentAt: communications.sentAt,
                createdAt: communications.createdAt,
              })
              .from(communications)
              .innerJoin(templates, eq(templates.id, communications.templateId))
              .innerJoin(templateVersions, eq(templateVersions.id, communications.templateVersionId))
              .where(eq(communications.id, ticket.communicationId))
          : [],
      ]);
      return { ...ticket, messages, links, communication: communication[0] ?? null };
    },

    async list(actor: Actor, query: ListTicketsQuery) {
      authorize(actor, 'tickets.read');
      const userId = actor.kind === 'user' ? actor.userId : null;
      const myQueues = db
        .select({ id: ticketQueues.id })
        .from(ticketQueues)
        .innerJoin(teamMembers, eq(teamMembers.teamId, ticketQueues.teamId))
        .where(eq(teamMembers.userId, userId ?? sql`null`));
      const number = query.q && /^#?\d{1,15}$/.test(query.q) ? Number(query.q.replace('#', '')) : undefined;
      const views: Record<ListTicketsQuery['view'], SQL | undefined> = {
        all: undefined,
        mine: userId ? eq(tickets.assigneeId, userId) : sql`false`,
        team: inArray(tickets.queueId, myQueues),
        unassigned: and(isNull(tickets.assigneeId), inArray(tickets.status, openStatuses)),
        breaching: slaBreachingSoon(clock.now()),
        breached: slaOverdue(clock.now()),
      };
      const rows = await present(
        db,
        and(
          views[query.view],
          query.status ? inArray(tickets.status, query.status) : undefined,
          query.kind ? eq(tickets.kind, query.kind) : undefined,
          query.priority ? eq(tickets.priority, query.priority) : undefined,
          query.queueId ? eq(tickets.queueId, query.queueId) : undefined,
          query.customerId ? eq(tickets.customerId, query.customerId) : undefined,
          query.communicationId ? eq(tickets.communicationId, query.communicationId) : undefined,
          query.templateVersionId ? eq(tickets.templateVersionId, query.templateVersionId) : undefined,
          query.q
            ? number !== undefined
              ? eq(tickets.number, number)
              : ilike(tickets.subject, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`)
            : undefined,
          newestFirst.after(query.cursor),
        ),
        { limit: query.limit + 1 },
      );
      const page = newestFirst.page(rows, query.limit);
      return { tickets: page.rows, nextCursor: page.nextCursor };
    },

    /** How many tickets still ask for work in each inbox view of the signed-in agent. */
    async counts(actor: Actor) {
      authorize(actor, 'tickets.read');
      const userId = actor.kind === 'user' ? actor.userId : null;
      const now = clock.now();
      const [counts] = await db
        .select({
          all: sql<number>`count(*)::int`,
          mine: sql<number>`(count(*) filter (where ${tickets.assigneeId} = ${userId}))::int`,
          unassigned: sql<number>`(count(*) filter (where ${tickets.assigneeId} is null))::int`,
          team: sql<number>`(count(*) filter (where ${tickets.queueId} in (
            select q.id from ticket_queues q join team_members m on m.team_id = q.team_id where m.user_id = ${userId})))::int`,
          breaching: sql<number>`(count(*) filter (where ${slaBreachingSoon(now)}))::int`,
          breached: sql<number>`(count(*) filter (where ${slaOverdue(now)}))::int`,
        })
        .from(tickets)
        .where(inArray(tickets.status, openStatuses));
      return counts!;
    },

    async update(actor: Actor, id: string, patch: UpdateTicketInput) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id, true);
        if (ticket.mergedIntoId)
          throw new AppError('conflict', 'ticket.merged', `${ticketLabel(ticket)} was merged into another ticket.`);
        if (patch.assigneeId) await checkAssignee(tx, patch.assigneeId);
        if (patch.contactId) await checkContact(tx, patch.contactId, ticket.customerId);
        if (patch.queueId) await checkQueue(tx, patch.queueId);
        const changed = Object.fromEntries(
          Object.entries(patch).filter(
            ([key, value]) => JSON.stringify(ticket[key as keyof Ticket]) !== JSON.stringify(value),
          ),
        ) as UpdateTicketInput;
        if (Object.keys(changed).length === 0) return presentOne(tx, id);
        const templateVersionId =
          changed.communicationId === undefined
            ? undefined
            : changed.communicationId && (await concerned(tx, changed.communicationId, ticket.customerId));
        // Another kind or priority may fall under another policy: the due times follow it.
        const due = changed.kind || changed.priority ? await sla.dueTimesFor(tx, { ...ticket, ...changed }) : undefined;
        const [updated] = await tx
          .update(tickets)
          .set({
            ...changed,
            ...(due && { ...due, ...breachesUnder(due, ticket, clock.now()) }),
            templateVersionId,
            updatedAt: clock.now(),
          })
          .where(eq(tickets.id, id))
          .returning();
        await record(tx, actor, updated!, {
          action: 'update',
          title: `changed ${Object.keys(changed).join(', ')}`,
          summary: { changes: changed },
        });
        if ('assigneeId' in changed) await records.notifyAssigned(tx, actor, updated!);
        return presentOne(tx, id);
      });
    },

    /** Moves a ticket along its lifecycle. */
    async act(actor: Actor, id: string, action: TicketAction) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id, true);
        const status = nextTicketStatus(action, ticket);
        const now = clock.now();
        const [updated] = await tx
          .update(tickets)
          .set({
            ...(await sla.onStatusChange(tx, ticket, status)),
            status,
            updatedAt: now,
            resolvedAt: status === 'resolved' ? now : status === 'closed' ? undefined : null,
            closedAt: status === 'closed' ? now : null,
          })
          .where(eq(tickets.id, id))
          .returning();
        await record(tx, actor, updated!, {
          action: action,
          title: status.replaceAll('_', ' '),
          summary: { from: ticket.status, to: status },
        });
        return presentOne(tx, id);
      });
    },

    async link(actor: Actor, id: string, target: { targetType: TicketLinkTarget; targetId: string }) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id);
        await concerned(tx, target.targetId, ticket.customerId).catch(() => {
          throw invalidTicket('targetId', "names no communication of the ticket's customer");
        });
        const [link] = await tx
          .insert(ticketLinks)
          .values({ ticketId: id, ...target, createdAt: clock.now(), createdBy: await records.staffLabel(tx, actor) })
          .onConflictDoNothing()
          .returning();
        if (link)
          await record(tx, actor, ticket, { action: 'link', title: `linked a ${target.targetType}`, summary: target });
        return { linked: Boolean(link) };
      });
    },

    async unlink(actor: Actor, id: string, target: { targetType: TicketLinkTarget; targetId: string }) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id);
        // Unlinking could take a held communication or document out of this ticket's hold.
        await assertNotHeld(tx, [{ type: 'ticket', id }], 'unlinked');
        const removed = await tx
          .delete(ticketLinks)
          .where(
            and(
              eq(ticketLinks.ticketId, id),
              eq(ticketLinks.targetType, target.targetType),
              eq(ticketLinks.targetId, target.targetId),
            ),
          )
          .returning();
        if (removed.length === 0) throw notFound('ticket link', target.targetId);
        await record(tx, actor, ticket, {
          action: 'unlink',
          title: `unlinked a ${target.targetType}`,
          summary: target,
        });
      });
    },

    /** Tickets of a customer that still ask for work, newest first: where a new message may belong. */
    async openFor(executor: Executor, customerId: string, communicationId?: string) {
      return executor
        .select()
        .from(tickets)
        .where(
          and(
            eq(tickets.customerId, customerId),
            isNull(tickets.mergedIntoId),
            notInArray(tickets.status, ['closed']),
            communicationId ? eq(tickets.communicationId, communicationId) : undefined,
          ),
        )
        .orderBy(sql`${tickets.createdAt} desc`)
        .limit(20);
    },

    /** The ticket a reply names by its number, for inbound mail ("[#1042]" in the subject). */
    async byNumber(executor: Executor, number: number) {
      const [ticket] = await executor.select().from(tickets).where(eq(tickets.number, number));
      return ticket;
    },

    /** A customer merge takes their tickets along to the survivor. */
    linkedRecords: {
      label: 'tickets',
      count: async (executor, customerId) =>
        (
          await executor
            .select({ n: sql<number>`count(*)::int` })
            .from(tickets)
            .where(eq(tickets.customerId, customerId))
        )[0]!.n,
      move: async (tx, from, to) =>
        (
          await tx
            .update(tickets)
            .set({ customerId: to, contactId: null })
            .where(eq(tickets.customerId, from))
            .returning({ id: tickets.id })
        ).length,
    } satisfies LinkedRecords,

    /** Complaints per template version over what that version produced. */
    async complaintRate(actor: Actor, templateVersionId: string) {
      authorize(actor, 'tickets.read');
      const [row] = await db
        .select({
          complaints: sql<number>`(select count(*)::int from ${tickets} where ${tickets.templateVersionId} = ${templateVersionId} and ${tickets.kind} = 'complaint' and ${tickets.mergedIntoId} is null)`,
          communications: sql<number>`(select count(*)::int from communications c where c.template_version_id = ${templateVersionId} and ${received('c')})`,
        })
        .from(sql`(select 1) as one`);
      return {
        complaints: row!.complaints,
        communications: row!.communications,
        rate: row!.communications > 0 ? row!.complaints / row!.communications : null,
      };
    },
  };
}
