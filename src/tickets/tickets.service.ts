import { aliasedTable, and, asc, eq, ilike, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { communications } from '../communications/communications.tables.js';
import { received } from '../communications/version-recipients.js';
import { customerContacts, customers } from '../customers/customers.tables.js';
import type { LinkedRecords } from '../customers/merge.service.js';
import type { Database, Executor } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { teamMembers, users } from '../users/users.tables.js';
import type { QueuesService } from './queues.service.js';
import { breachesUnder, slaStates } from './sla/sla-rules.js';
import { slaBreachingSoon, slaOverdue, type SlaService } from './sla/sla.service.js';
import {
  actionsFrom,
  nextTicketStatus,
  statusAfterCustomerMessage,
  statusAfterReply,
  type TicketAction,
} from './ticket-lifecycle.js';
import type { CreateTicketInput, ListTicketsQuery, UpdateTicketInput } from './tickets.schemas.js';
import {
  ticketLinks,
  ticketMessages,
  ticketQueues,
  tickets,
  type TicketAttachment,
  type TicketLinkTarget,
  type TicketStatus,
} from './tickets.tables.js';

export type Ticket = typeof tickets.$inferSelect;
export type TicketMessage = typeof ticketMessages.$inferSelect;

/** Statuses in which a ticket still asks for work. */
export const openStatuses: TicketStatus[] = ['new', 'open', 'pending_customer'];

const kindWords = { request: 'Request', inquiry: 'Inquiry', complaint: 'Complaint' } as const;
const label = (ticket: Pick<Ticket, 'kind' | 'number'>) => `${kindWords[ticket.kind]} #${ticket.number}`;

const invalidTicket = (path: string, message: string) =>
  new AppError('validation_failed', 'ticket.invalid', `The ticket is not valid: ${path} ${message}.`, [
    { path: `body.${path}`, message },
  ]);

const newestFirst = keyset(
  [
    { expression: tickets.createdAt, type: 'timestamptz' },
    { expression: tickets.id, type: 'uuid' },
  ],
  'desc',
);

const assignee = aliasedTable(users, 'assignee');

/** A message that enters a ticket from outside a staff member's hands: the customer, mail, the portal. */
export type IncomingMessage = {
  body: string;
  authorLabel: string;
  emailMessageId?: string;
  rawSha256?: string;
  attachments?: TicketAttachment[];
};

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
  clock: Clock;
}) {
  const { db, audit, timeline, notifications, sla, clock } = deps;

  async function load(executor: Executor, id: string, forUpdate = false): Promise<Ticket> {
    const query = executor.select().from(tickets).where(eq(tickets.id, id));
    const [ticket] = forUpdate ? await query.for('update') : await query;
    if (!ticket) throw notFound('ticket', id);
    return ticket;
  }

  /** Tickets as the API shows them: with the names people read and the actions the status allows. */
  async function present(executor: Executor, where: SQL | undefined, extra: { orderBy?: SQL[]; limit?: number } = {}) {
    const rows = await executor
      .select({
        ticket: tickets,
        customerName: customers.name,
        queueName: ticketQueues.name,
        assigneeName: assignee.name,
        position: newestFirst.position,
      })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .leftJoin(ticketQueues, eq(ticketQueues.id, tickets.queueId))
      .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
      .where(where)
      .orderBy(...(extra.orderBy ?? newestFirst.orderBy))
      .limit(extra.limit ?? 1000);
    const now = clock.now();
    return rows.map((row) => ({
      ...row.ticket,
      customerName: row.customerName,
      queueName: row.queueName,
      assigneeName: row.assigneeName,
      actions: actionsFrom(row.ticket.status),
      sla: slaStates(row.ticket, now),
      position: row.position,
    }));
  }

  async function presentOne(executor: Executor, id: string) {
    const [row] = await present(executor, eq(tickets.id, id));
    if (!row) throw notFound('ticket', id);
    const { position: _position, ...ticket } = row;
    return ticket;
  }

  /** The communication a ticket is about must be one sent to the ticket's customer. */
  async function concerned(executor: Executor, communicationId: string, customerId: string) {
    const [communication] = await executor
      .select({ customerId: communications.customerId, templateVersionId: communications.templateVersionId })
      .from(communications)
      .where(eq(communications.id, communicationId));
    if (!communication) throw invalidTicket('communicationId', `names no communication (${communicationId})`);
    if (communication.customerId !== customerId)
      throw invalidTicket('communicationId', 'names a communication sent to another customer');
    return communication.templateVersionId;
  }

  async function checkAssignee(executor: Executor, userId: string) {
    const [user] = await executor
      .select({ id: users.id, active: users.active })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw invalidTicket('assigneeId', `names no user (${userId})`);
    if (!user.active) throw invalidTicket('assigneeId', 'names a deactivated user');
  }

  async function checkQueue(executor: Executor, queueId: string) {
    const [queue] = await executor
      .select({ id: ticketQueues.id })
      .from(ticketQueues)
      .where(eq(ticketQueues.id, queueId));
    if (!queue) throw invalidTicket('queueId', `names no queue (${queueId})`);
  }

  async function checkContact(executor: Executor, contactId: string, customerId: string) {
    const [contact] = await executor
      .select({ customerId: customerContacts.customerId })
      .from(customerContacts)
      .where(eq(customerContacts.id, contactId));
    if (contact?.customerId !== customerId)
      throw invalidTicket('contactId', "names no contact of the ticket's customer");
  }

  async function record(
    tx: Executor,
    actor: Actor,
    ticket: Pick<Ticket, 'id' | 'kind' | 'number' | 'customerId'>,
    change: { action: string; title: string; body?: string; summary?: Record<string, unknown> },
  ) {
    await audit.record(tx, actor, {
      action: `ticket.${change.action}`,
      entityType: 'ticket',
      entityId: ticket.id,
      summary: { number: ticket.number, ...change.summary },
    });
    await timeline.append(tx, {
      customerId: ticket.customerId,
      kind: 'ticket',
      title: `${label(ticket)}: ${change.title}`,
      body: change.body,
      subjectType: 'ticket',
      subjectId: ticket.id,
      actorLabel: actorLabel(actor),
    });
  }

  async function notifyAssigned(tx: Executor, actor: Actor, ticket: Ticket) {
    if (!ticket.assigneeId || (actor.kind === 'user' && actor.userId === ticket.assigneeId)) return;
    await notifications.notify(tx, [ticket.assigneeId], {
      kind: 'ticket.assigned',
      title: `${label(ticket)} is yours: ${ticket.subject}`,
      subjectType: 'ticket',
      subjectId: ticket.id,
    });
  }

  async function insertMessage(
    tx: Executor,
    values: Omit<typeof ticketMessages.$inferInsert, 'createdAt'> & { createdAt?: Date },
  ) {
    const [message] = await tx
      .insert(ticketMessages)
      .values({ ...values, createdAt: values.createdAt ?? clock.now() })
      .returning();
    return message!;
  }

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
          createdBy: actorLabel(actor),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const message = firstMessage ?? (input.message ? { body: input.message, authorLabel: customer.name } : undefined);
      if (message) await insertMessage(tx, { ...message, ticketId: ticket!.id, kind: 'customer', createdAt: now });
      await record(tx, actor, ticket!, {
        action: 'create',
        title: `opened: ${ticket!.subject}`,
        body: message?.body,
        summary: { kind: ticket!.kind, source: ticket!.source, communicationId: ticket!.communicationId },
      });
      await notifyAssigned(tx, actor, ticket!);
      return presentOne(tx, ticket!.id);
    });
  }

  async function addCustomerMessageIn(tx: Executor, actor: Actor, ticket: Ticket, message: IncomingMessage) {
    const inserted = await insertMessage(tx, { ...message, ticketId: ticket.id, kind: 'customer' });
    const status = statusAfterCustomerMessage(ticket.status);
    await tx
      .update(tickets)
      .set({
        ...(await sla.onStatusChange(tx, ticket, status)),
        status,
        updatedAt: clock.now(),
        ...(status !== ticket.status ? { resolvedAt: null, closedAt: null } : {}),
      })
      .where(eq(tickets.id, ticket.id));
    await record(tx, actor, ticket, {
      action: 'customer_message',
      title: status !== ticket.status ? 'the customer wrote; reopened' : 'the customer wrote',
      body: message.body,
      summary: { messageId: inserted.id, reopened: status !== ticket.status },
    });
    if (ticket.assigneeId)
      await notifications.notify(tx, [ticket.assigneeId], {
        kind: 'ticket.customer_message',
        title: `${label(ticket)}: the customer wrote`,
        body: message.body.slice(0, 200),
        subjectType: 'ticket',
        subjectId: ticket.id,
      });
    return inserted;
  }

  return {
    create,

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
          throw new AppError('conflict', 'ticket.merged', `${label(ticket)} was merged into another ticket.`);
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
        if ('assigneeId' in changed) await notifyAssigned(tx, actor, updated!);
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

    /** An internal note; the staff it mentions are notified. */
    async addNote(actor: Actor, id: string, note: { body: string; mentions: string[] }) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id);
        const mentioned = note.mentions.length
          ? await tx
              .select({ id: users.id })
              .from(users)
              .where(and(inArray(users.id, note.mentions), eq(users.active, true)))
          : [];
        const unknown = note.mentions.filter((mention) => !mentioned.some((user) => user.id === mention));
        if (unknown.length > 0) throw invalidTicket('mentions', `names no active staff member (${unknown.join(', ')})`);
        const message = await insertMessage(tx, {
          ticketId: id,
          kind: 'note',
          body: note.body,
          authorUserId: actor.kind === 'user' ? actor.userId : null,
          authorLabel: actorLabel(actor),
          mentions: note.mentions,
        });
        await tx.update(tickets).set({ updatedAt: clock.now() }).where(eq(tickets.id, id));
        await record(tx, actor, ticket, { action: 'note', title: 'internal note', summary: { messageId: message.id } });
        await notifications.notify(
          tx,
          note.mentions.filter((mention) => actor.kind !== 'user' || mention !== actor.userId),
          {
            kind: 'ticket.mention',
            title: `${actorLabel(actor)} mentioned you on ${label(ticket)}`,
            body: note.body.slice(0, 200),
            subjectType: 'ticket',
            subjectId: id,
          },
        );
        return message;
      });
    },

    /**
     * What the customer said or wrote, recorded by an agent (a phone call) or arriving by mail or
     * the portal: a ticket waiting for them, resolved or closed opens again.
     */
    async addCustomerMessage(actor: Actor, id: string, message: IncomingMessage) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id, true);
        if (ticket.mergedIntoId) {
          const target = await load(tx, ticket.mergedIntoId, true);
          return addCustomerMessageIn(tx, actor, target, message);
        }
        return addCustomerMessageIn(tx, actor, ticket, message);
      });
    },

    /**
     * Records a public reply that went out as a communication, in the transaction that queued it:
     * the first one answers the first-response target, and a new ticket is now being worked on.
     */
    async recordReply(
      tx: Executor,
      actor: Actor,
      id: string,
      reply: { body: string; communicationId: string; attachments?: TicketAttachment[] },
    ) {
      const ticket = await load(tx, id, true);
      const now = clock.now();
      const message = await insertMessage(tx, {
        ticketId: id,
        kind: 'reply',
        body: reply.body,
        communicationId: reply.communicationId,
        attachments: reply.attachments ?? [],
        authorUserId: actor.kind === 'user' ? actor.userId : null,
        authorLabel: actorLabel(actor),
      });
      await tx
        .update(tickets)
        .set({
          status: statusAfterReply(ticket.status),
          firstRespondedAt: ticket.firstRespondedAt ?? now,
          updatedAt: now,
        })
        .where(eq(tickets.id, id));
      await record(tx, actor, ticket, {
        action: 'reply',
        title: 'answered',
        body: reply.body,
        summary: { messageId: message.id, communicationId: reply.communicationId },
      });
      return message;
    },

    /** Moves the conversation and links of one ticket onto another of the same customer and closes it. */
    async merge(actor: Actor, id: string, intoId: string) {
      authorize(actor, 'tickets.work');
      if (id === intoId) throw invalidTicket('intoTicketId', 'is the ticket itself');
      return db.transaction(async (tx) => {
        const [first, second] = [id, intoId].sort();
        const locked = new Map<string, Ticket>();
        for (const ticketId of [first!, second!]) {
          const ticket = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
          if (ticket[0]) locked.set(ticketId, ticket[0]);
        }
        const source = locked.get(id);
        if (!source) throw notFound('ticket', id);
        const target = locked.get(intoId);
        if (!target) throw invalidTicket('intoTicketId', `names no ticket (${intoId})`);
        if (source.mergedIntoId || target.mergedIntoId)
          throw new AppError(
            'conflict',
            'ticket.merged',
            'A ticket that was merged away cannot take part in another merge.',
          );
        if (source.customerId !== target.customerId)
          throw invalidTicket('intoTicketId', 'names a ticket of another customer');
        const now = clock.now();
        await tx.update(ticketMessages).set({ ticketId: intoId }).where(eq(ticketMessages.ticketId, id));
        await tx.execute(sql`insert into ticket_links (ticket_id, target_type, target_id, created_at, created_by)
          select ${intoId}, target_type, target_id, created_at, created_by from ticket_links where ticket_id = ${id}
          on conflict do nothing`);
        await tx.delete(ticketLinks).where(eq(ticketLinks.ticketId, id));
        await tx
          .update(tickets)
          .set({ status: 'closed', mergedIntoId: intoId, closedAt: now, updatedAt: now })
          .where(eq(tickets.id, id));
        await tx
          .update(tickets)
          .set({ tags: [...new Set([...target.tags, ...source.tags])], updatedAt: now })
          .where(eq(tickets.id, intoId));
        await insertMessage(tx, {
          ticketId: intoId,
          kind: 'note',
          body: `${label(source)} (“${source.subject}”) was merged into this ticket.`,
          authorUserId: actor.kind === 'user' ? actor.userId : null,
          authorLabel: actorLabel(actor),
        });
        await record(tx, actor, source, {
          action: 'merge',
          title: `merged into ${label(target)}`,
          summary: { intoId },
        });
        await record(tx, actor, target, {
          action: 'merged_in',
          title: `took in ${label(source)}`,
          summary: { fromId: id },
        });
        return presentOne(tx, intoId);
      });
    },

    /** Makes one customer message of a ticket into a ticket of its own. */
    async split(actor: Actor, id: string, input: { messageId: string; subject?: string }) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await load(tx, id, true);
        const [message] = await tx
          .select()
          .from(ticketMessages)
          .where(and(eq(ticketMessages.id, input.messageId), eq(ticketMessages.ticketId, id)));
        if (!message) throw invalidTicket('messageId', 'names no message of this ticket');
        if (message.kind !== 'customer') throw invalidTicket('messageId', "names a staff message, not the customer's");
        const now = clock.now();
        const due = await sla.dueTimesFor(tx, { kind: ticket.kind, priority: ticket.priority, createdAt: now });
        const [created] = await tx
          .insert(tickets)
          .values({
            ...due,
            kind: ticket.kind,
            subject: input.subject ?? `${message.body.replace(/\s+/g, ' ').slice(0, 80)}`,
            customerId: ticket.customerId,
            contactId: ticket.contactId,
            source: ticket.source,
            queueId: ticket.queueId,
            assigneeId: ticket.assigneeId,
            priority: ticket.priority,
            tags: ticket.tags,
            createdBy: actorLabel(actor),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.update(ticketMessages).set({ ticketId: created!.id }).where(eq(ticketMessages.id, message.id));
        await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, id));
        await record(tx, actor, created!, {
          action: 'split',
          title: `split from ${label(ticket)}: ${created!.subject}`,
          summary: { fromId: id, messageId: message.id },
        });
        return presentOne(tx, created!.id);
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
          .values({ ticketId: id, ...target, createdAt: clock.now(), createdBy: actorLabel(actor) })
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
