import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { portalUploads } from './portal-tickets.tables.js';
import { messageAttachment, newestFirst } from './ticket-records.js';
import type { TicketsService } from './tickets.service.js';
import { ticketMessages, tickets, type TicketAttachment, type TicketKind } from './tickets.tables.js';

export type PortalTickets = ReturnType<typeof createPortalTickets>;

/**
 * Whose tickets a portal viewer sees and in whose name they open one: the customer's, raised by the
 * contact who signed in (if one did); with `ownOnly`, only the tickets that contact raised.
 */
export type TicketScope = { customerId: string; contactId: string | null; ownOnly: boolean };

/** What a customer sees of a conversation: their own messages and our public replies, never internal notes. */
const publicMessageKinds = ['customer', 'reply'] as const;
type PublicMessageKind = (typeof publicMessageKinds)[number];

const summaryColumns = {
  id: tickets.id,
  number: tickets.number,
  kind: tickets.kind,
  status: tickets.status,
  subject: tickets.subject,
  communicationId: tickets.communicationId,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
};

/** The tickets a portal viewer may see: the customer's, or only the contact's own; merged ones live on in their target. */
function visibleTo(scope: TicketScope): SQL {
  return and(
    eq(tickets.customerId, scope.customerId),
    isNull(tickets.mergedIntoId),
    scope.ownOnly ? (scope.contactId ? eq(tickets.contactId, scope.contactId) : sql`false`) : undefined,
  )!;
}

/**
 * The service desk as a portal customer uses it: their requests and complaints, the public part of
 * each conversation, opening one, writing on one, and the files they attach. Every question is
 * limited to the viewer's scope; a ticket outside it does not exist (404), whoever owns it.
 * Opening and writing go through the tickets service, so SLA, lifecycle, audit and timeline are those of any ticket.
 */
export function createPortalTickets(deps: {
  db: Database;
  tickets: Pick<TicketsService, 'create' | 'addCustomerMessage' | 'uploadAttachment'>;
  blobs: Pick<BlobStore, 'read'>;
  clock: Clock;
}) {
  const { db } = deps;

  async function visible(scope: TicketScope, id: string) {
    const [ticket] = await db
      .select(summaryColumns)
      .from(tickets)
      .where(and(eq(tickets.id, id), visibleTo(scope)));
    if (!ticket) throw notFound('ticket', id);
    return ticket;
  }

  /** Uploads named by hash become attachments; only the customer's own uploads can be named (else 404). */
  async function uploadsOf(scope: TicketScope, hashes: readonly string[]): Promise<TicketAttachment[]> {
    if (hashes.length === 0) return [];
    const rows = await db
      .select()
      .from(portalUploads)
      .where(and(eq(portalUploads.customerId, scope.customerId), inArray(portalUploads.fileSha256, [...hashes])));
    return hashes.map((sha256, index) => {
      const upload = rows.find((row) => row.fileSha256 === sha256);
      // Another customer's file is not there for this one, as an unknown one is not.
      if (!upload)
        throw new AppError(
          'not_found',
          'portal.upload_not_found',
          'No file you uploaded has that hash; upload it first.',
          [{ path: `body.attachments.${index}`, message: 'names no file you uploaded' }],
        );
      return { sha256, filename: upload.filename, mediaType: upload.mediaType, size: upload.size };
    });
  }

  async function conversation(scope: TicketScope, id: string) {
    const ticket = await visible(scope, id);
    const messages = await db
      .select({
        id: ticketMessages.id,
        kind: ticketMessages.kind,
        body: ticketMessages.body,
        authorLabel: ticketMessages.authorLabel,
        attachments: ticketMessages.attachments,
        createdAt: ticketMessages.createdAt,
      })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, id), inArray(ticketMessages.kind, [...publicMessageKinds])))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
    // The query kept only the public kinds.
    return {
      ...ticket,
      messages: messages.map((message) => ({ ...message, kind: message.kind as PublicMessageKind })),
    };
  }

  return {
    conversation,

    /** The viewer's tickets, newest first, a page at a time. */
    async list(scope: TicketScope, query: { cursor?: string; limit: number }) {
      const rows = await db
        .select({ ...summaryColumns, position: newestFirst.position })
        .from(tickets)
        .where(and(visibleTo(scope), newestFirst.after(query.cursor)))
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(rows, query.limit);
      return { items: page.rows, nextCursor: page.nextCursor };
    },

    /** The viewer's newest complaint about a communication, if they made one. */
    async complaintAbout(scope: TicketScope, communicationId: string) {
      const [complaint] = await db
        .select({ ticketId: tickets.id, number: tickets.number })
        .from(tickets)
        .where(and(visibleTo(scope), eq(tickets.communicationId, communicationId), eq(tickets.kind, 'complaint')))
        .orderBy(desc(tickets.createdAt))
        .limit(1);
      return complaint ?? null;
    },

    /**
     * Opens a request or a complaint from the portal, the customer's words as its first message. The
     * communication it names must be one the caller checked is the viewer's; the tickets service ties
     * the ticket to it and its template version and starts the SLA clock.
     */
    async open(
      actor: Actor,
      scope: TicketScope,
      input: {
        kind: Extract<TicketKind, 'request' | 'complaint'>;
        subject: string;
        body: string;
        communicationId?: string;
        attachments: readonly string[];
        authorLabel: string;
      },
    ) {
      const attachments = await uploadsOf(scope, input.attachments);
      const created = await deps.tickets.create(
        actor,
        {
          kind: input.kind,
          subject: input.subject,
          customerId: scope.customerId,
          contactId: scope.contactId ?? undefined,
          source: 'portal',
          priority: 'normal',
          tags: [],
          communicationId: input.communicationId,
        },
        { body: input.body, authorLabel: input.authorLabel, attachments },
      );
      return conversation(scope, created.id);
    },

    /** The customer writes on their ticket; one waiting for them, resolved or closed opens again. */
    async write(
      actor: Actor,
      scope: TicketScope,
      id: string,
      input: { body: string; attachments: readonly string[]; authorLabel: string },
    ) {
      await visible(scope, id);
      const attachments = await uploadsOf(scope, input.attachments);
      const message = await deps.tickets.addCustomerMessage(actor, id, {
        body: input.body,
        authorLabel: input.authorLabel,
        attachments,
      });
      return {
        id: message.id,
        kind: 'customer' as const,
        body: message.body,
        authorLabel: message.authorLabel,
        attachments: message.attachments,
        createdAt: message.createdAt,
      };
    },

    /** Stores a file for a request or a reply to come, checked as staff attachments are, and remembers whose it is. */
    async upload(
      actor: Actor,
      scope: TicketScope,
      file: { bytes: Buffer; filename: string; mediaType: string; uploadedBy: string },
    ) {
      const stored = await deps.tickets.uploadAttachment(actor, file);
      const now = deps.clock.now();
      await db
        .insert(portalUploads)
        .values({
          customerId: scope.customerId,
          fileSha256: stored.sha256,
          filename: stored.filename,
          mediaType: stored.mediaType,
          size: stored.size,
          uploadedBy: file.uploadedBy,
          uploadedAt: now,
        })
        .onConflictDoUpdate({
          target: [portalUploads.customerId, portalUploads.fileSha256],
          set: { filename: stored.filename, mediaType: stored.mediaType, uploadedBy: file.uploadedBy, uploadedAt: now },
        });
      return stored;
    },

    /** A file on a public message of the viewer's ticket; a note's files stay with the staff. */
    async attachment(scope: TicketScope, id: string, sha256: string) {
      await visible(scope, id);
      return messageAttachment(db, deps.blobs, id, sha256, publicMessageKinds);
    },
  };
}
