import { aliasedTable, and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { communications } from '../communications/communications.tables.js';
import { customerContacts, customers } from '../customers/customers.tables.js';
import type { Executor } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { users } from '../users/users.tables.js';
import { slaStates } from './sla/sla-rules.js';
import { actionsFrom, ticketLabel } from './ticket-lifecycle.js';
import { ticketMessages, ticketQueues, tickets, type TicketMessageKind, type TicketStatus } from './tickets.tables.js';

export type Ticket = typeof tickets.$inferSelect;
export type TicketMessage = typeof ticketMessages.$inferSelect;

/** Statuses in which a ticket still asks for work. */
export const openStatuses: TicketStatus[] = ['new', 'open', 'pending_customer'];

export const invalidTicket = (path: string, message: string) =>
  new AppError('validation_failed', 'ticket.invalid', `The ticket is not valid: ${path} ${message}.`, [
    { path: `body.${path}`, message },
  ]);

export const newestFirst = keyset(
  [
    { expression: tickets.createdAt, type: 'timestamptz' },
    { expression: tickets.id, type: 'uuid' },
  ],
  'desc',
);

const assignee = aliasedTable(users, 'assignee');

/**
 * A file on a message of the ticket, by its content hash, with its bytes: what a ticket page
 * downloads. `kinds` limits the messages it may be on (the portal sees no note's files).
 */
export async function messageAttachment(
  executor: Executor,
  blobs: Pick<BlobStore, 'read'>,
  ticketId: string,
  sha256: string,
  kinds?: readonly TicketMessageKind[],
) {
  const [message] = await executor
    .select({ attachments: ticketMessages.attachments })
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        kinds && inArray(ticketMessages.kind, [...kinds]),
        sql`${ticketMessages.attachments} @> ${JSON.stringify([{ sha256 }])}::jsonb`,
      ),
    )
    .limit(1);
  const attachment = message?.attachments.find((candidate) => candidate.sha256 === sha256);
  if (!attachment)
    throw new AppError('not_found', 'ticket.attachment_not_found', 'No message of this ticket has that attachment.');
  return { ...attachment, bytes: await blobs.read(sha256) };
}

export type TicketRecords = ReturnType<typeof createTicketRecords>;

/**
 * What every ticket operation shares: reading and presenting tickets, checking what a change
 * names, and recording a change in the audit trail and on the customer's timeline.
 */
export function createTicketRecords(deps: {
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'append'>;
  notifications: Pick<NotificationsService, 'notify'>;
  clock: Clock;
}) {
  const { audit, timeline, notifications, clock } = deps;

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

  /** Who did it, as people read it on the ticket and the timeline: a staff member's name, else the system's label. */
  async function staffLabel(executor: Executor, actor: Actor) {
    if (actor.kind === 'system') return actor.label;
    const [user] = await executor.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
    return user?.name || actor.email;
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

  /** A change to a ticket, in the audit trail and on the customer's timeline. */
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
      title: `${ticketLabel(ticket)}: ${change.title}`,
      body: change.body,
      subjectType: 'ticket',
      subjectId: ticket.id,
      actorLabel: await staffLabel(tx, actor),
    });
  }

  async function notifyAssigned(tx: Executor, actor: Actor, ticket: Ticket) {
    if (!ticket.assigneeId || (actor.kind === 'user' && actor.userId === ticket.assigneeId)) return;
    await notifications.notify(tx, [ticket.assigneeId], {
      kind: 'ticket.assigned',
      title: `${ticketLabel(ticket)} is yours: ${ticket.subject}`,
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

  return {
    load,
    present,
    presentOne,
    staffLabel,
    concerned,
    checkAssignee,
    checkQueue,
    checkContact,
    record,
    notifyAssigned,
    insertMessage,
  };
}
