import { and, asc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import { communications } from '../communications/communications.tables.js';
import type { Channel } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import type { SlaService } from './sla/sla.service.js';
import { SERVICE_REPLY_TEMPLATE, replySubject } from './service-reply.template.js';
import { statusAfterCustomerMessage, statusAfterReply, ticketLabel } from './ticket-lifecycle.js';
import { invalidTicket, messageAttachment, type Ticket, type TicketRecords } from './ticket-records.js';
import { attachmentMediaTypes } from './tickets.schemas.js';
import { ticketMessages, tickets, type TicketAttachment } from './tickets.tables.js';

/** A message that enters a ticket from outside a staff member's hands: the customer, mail, the portal. */
export type IncomingMessage = {
  body: string;
  authorLabel: string;
  emailMessageId?: string;
  rawSha256?: string;
  attachments?: TicketAttachment[];
};

/** A file over the limit, named as the upload's body. */
export const attachmentTooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', 'ticket.attachment_too_large', `A file may be at most ${maxBytes} bytes.`, [
    { path: 'body', message: `is larger than ${maxBytes} bytes` },
  ]);

/** Mail clients keep only so many References; the first (the thread's root) and the newest matter. */
const REFERENCES_KEPT = 20;

/**
 * The conversation on a ticket: what the customer wrote, internal notes that notify the staff they
 * mention, and public replies, which go out as communications through the delivery pipeline.
 */
export function createTicketConversation(deps: {
  db: Database;
  records: TicketRecords;
  notifications: Pick<NotificationsService, 'notify'>;
  sla: Pick<SlaService, 'onStatusChange'>;
  communications: Pick<CommunicationsService, 'sendIn'>;
  blobs: Pick<BlobStore, 'size' | 'put' | 'read'>;
  /** The largest file a reply or note may carry. */
  attachmentMaxBytes: number;
  clock: Clock;
}) {
  const { db, records, notifications, sla, clock } = deps;

  /** Attachments name blobs uploaded before (`uploadAttachment`); one that is not there, or not that size, is refused. */
  async function checkAttachments(attachments: TicketAttachment[]) {
    for (const [index, attachment] of attachments.entries()) {
      const size = await deps.blobs.size(attachment.sha256).catch(() => undefined);
      if (size !== attachment.size)
        throw invalidTicket(`attachments.${index}`, 'names no uploaded file of that size; upload it first');
    }
  }

  async function addCustomerMessageIn(tx: Executor, actor: Actor, ticket: Ticket, message: IncomingMessage) {
    const inserted = await records.insertMessage(tx, { ...message, ticketId: ticket.id, kind: 'customer' });
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
    await records.record(tx, actor, ticket, {
      action: 'customer_message',
      title: status !== ticket.status ? 'the customer wrote; reopened' : 'the customer wrote',
      body: message.body,
      summary: { messageId: inserted.id, reopened: status !== ticket.status },
    });
    if (ticket.assigneeId)
      await notifications.notify(tx, [ticket.assigneeId], {
        kind: 'ticket.customer_message',
        title: `${ticketLabel(ticket)}: the customer wrote`,
        body: message.body.slice(0, 200),
        subjectType: 'ticket',
        subjectId: ticket.id,
      });
    return inserted;
  }

  /**
   * Where a reply by email stands in the conversation: it answers the customer's latest mail, and
   * its References name every mail of the ticket before it (theirs and our replies), oldest first.
   */
  async function threadFor(tx: Executor, ticketId: string) {
    const mails = await tx
      .select({
        kind: ticketMessages.kind,
        inbound: ticketMessages.emailMessageId,
        sent: communications.providerMessageId,
      })
      .from(ticketMessages)
      .leftJoin(communications, eq(communications.id, ticketMessages.communicationId))
      .where(
        and(
          eq(ticketMessages.ticketId, ticketId),
          or(isNotNull(ticketMessages.emailMessageId), isNotNull(communications.providerMessageId)),
        ),
      )
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
    const chain = mails.map((mail) => (mail.kind === 'customer' ? mail.inbound : mail.sent)!).filter(Boolean);
    const inReplyTo =
      [...mails].reverse().find((mail) => mail.kind === 'customer' && mail.inbound)?.inbound ?? undefined;
    if (!inReplyTo && chain.length === 0) return undefined;
    const references = chain.length > REFERENCES_KEPT ? [chain[0]!, ...chain.slice(-(REFERENCES_KEPT - 1))] : chain;
    return { inReplyTo, references };
  }

  /**
   * Records a public reply that went out as a communication, in the transaction that queued it:
   * the first one answers the first-response target, and a new ticket is now being worked on.
   */
  async function recordReply(
    tx: Executor,
    actor: Actor,
    id: string,
    reply: { body: string; communicationId: string; attachments?: TicketAttachment[] },
  ) {
    const ticket = await records.load(tx, id, true);
    const now = clock.now();
    const message = await records.insertMessage(tx, {
      ticketId: id,
      kind: 'reply',
      body: reply.body,
      communicationId: reply.communicationId,
      attachments: reply.attachments ?? [],
      authorUserId: actor.kind === 'user' ? actor.userId : null,
      authorLabel: await records.staffLabel(tx, actor),
    });
    await tx
      .update(tickets)
      .set({
        status: statusAfterReply(ticket.status),
        firstRespondedAt: ticket.firstRespondedAt ?? now,
        updatedAt: now,
      })
      .where(eq(tickets.id, id));
    await records.record(tx, actor, ticket, {
      action: 'reply',
      title: 'answered',
      body: reply.body,
      summary: { messageId: message.id, communicationId: reply.communicationId },
    });
    return message;
  }

  return {
    recordReply,

    /**
     * Answers the customer: the agent's text goes out as a communication of the reserved
     * service-reply template (brand layout, routing, consent, archive, proof, timeline), by the
     * channel the agent chose or else by the customer's preference; on email it threads with their
     * mail. Queued and recorded on the ticket in one transaction.
     */
    async reply(actor: Actor, id: string, input: { body: string; channel?: Channel; attachments: TicketAttachment[] }) {
      authorize(actor, 'tickets.work');
      await checkAttachments(input.attachments);
      return db.transaction(async (tx) => {
        const ticket = await records.load(tx, id, true);
        if (ticket.mergedIntoId)
          throw new AppError(
            'conflict',
            'ticket.merged',
            `${ticketLabel(ticket)} was merged into another ticket; answer there.`,
          );
        const thread = await threadFor(tx, id);
        const communicationId = await deps.communications.sendIn(tx, actor, {
          template: SERVICE_REPLY_TEMPLATE,
          customerId: ticket.customerId,
          data: {
            ticket: { number: ticket.number, subject: replySubject(ticket.subject) },
            reply: input.body,
            agent: { name: await records.staffLabel(tx, actor) },
            attachments: input.attachments,
            ...(input.channel && { channel: input.channel }),
            ...(thread && { thread }),
          },
        });
        return recordReply(tx, actor, id, {
          body: input.body,
          communicationId,
          attachments: input.attachments,
        });
      });
    },

    /** An internal note; the staff it mentions are notified. */
    async addNote(
      actor: Actor,
      id: string,
      note: { body: string; mentions: string[]; attachments: TicketAttachment[] },
    ) {
      authorize(actor, 'tickets.work');
      await checkAttachments(note.attachments);
      return db.transaction(async (tx) => {
        const ticket = await records.load(tx, id);
        const mentioned = note.mentions.length
          ? await tx
              .select({ id: users.id })
              .from(users)
              .where(and(inArray(users.id, note.mentions), eq(users.active, true)))
          : [];
        const unknown = note.mentions.filter((mention) => !mentioned.some((user) => user.id === mention));
        if (unknown.length > 0) throw invalidTicket('mentions', `names no active staff member (${unknown.join(', ')})`);
        const author = await records.staffLabel(tx, actor);
        const message = await records.insertMessage(tx, {
          ticketId: id,
          kind: 'note',
          body: note.body,
          authorUserId: actor.kind === 'user' ? actor.userId : null,
          authorLabel: author,
          mentions: note.mentions,
          attachments: note.attachments,
        });
        await tx.update(tickets).set({ updatedAt: clock.now() }).where(eq(tickets.id, id));
        await records.record(tx, actor, ticket, {
          action: 'note',
          title: 'internal note',
          summary: { messageId: message.id },
        });
        await notifications.notify(
          tx,
          note.mentions.filter((mention) => actor.kind !== 'user' || mention !== actor.userId),
          {
            kind: 'ticket.mention',
            title: `${author} mentioned you on ${ticketLabel(ticket)}`,
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
        const ticket = await records.load(tx, id, true);
        if (ticket.mergedIntoId) {
          const target = await records.load(tx, ticket.mergedIntoId, true);
          return addCustomerMessageIn(tx, actor, target, message);
        }
        return addCustomerMessageIn(tx, actor, ticket, message);
      });
    },

    /**
     * Stores a file for a reply or note to come, checked by type and size; the answer is what the
     * reply or note then names among its attachments.
     */
    async uploadAttachment(actor: Actor, file: { bytes: Buffer; filename: string; mediaType: string }) {
      authorize(actor, 'tickets.work');
      const mediaType = attachmentMediaTypes.find((type) => type === file.mediaType);
      if (!mediaType)
        throw new AppError(
          'unsupported_media_type',
          'ticket.attachment_type',
          `Files of type ${file.mediaType || 'unknown'} cannot be attached; send it with one of the accepted types: ${attachmentMediaTypes.join(', ')}.`,
          [{ path: 'headers.content-type', message: `is ${file.mediaType || 'missing'}; not an accepted type` }],
        );
      if (file.bytes.length === 0)
        throw new AppError('validation_failed', 'ticket.attachment_empty', 'The file is empty.', [
          { path: 'body', message: 'is empty' },
        ]);
      if (file.bytes.length > deps.attachmentMaxBytes) throw attachmentTooLarge(deps.attachmentMaxBytes);
      const stored = await deps.blobs.put(file.bytes);
      return { sha256: stored.sha256, filename: file.filename, mediaType, size: stored.size };
    },

    /** The attachment of a message on this ticket, by its content hash: what the ticket page downloads. */
    async attachment(actor: Actor, id: string, sha256: string) {
      authorize(actor, 'tickets.read');
      return messageAttachment(db, deps.blobs, id, sha256);
    },
  };
}
