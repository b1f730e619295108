import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ReceiptsService } from '../communications/receipts.service.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Database, Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { systemActor, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { answeredThread, ticketNumberOf, ticketWithEmail } from '../tickets/ticket-threads.js';
import { attachmentMediaTypes } from '../tickets/tickets.schemas.js';
import type { IncomingMessage, TicketsService } from '../tickets/tickets.service.js';
import { parseInboundMail, ticketNumberIn, UnparseableMail, type InboundMail } from './inbound-mail.js';
import type { ListInboundQuery } from './inbound.schemas.js';
import type { ScansService } from '../scans/scans.service.js';
import { inboundMessages, type InboundOutcome } from './inbound.tables.js';

export const INBOUND_PROCESS_JOB = 'inbound.process';

/** The tag an unknown sender's new customer record carries, so staff can review such leads. */
export const INBOUND_LEAD_TAG = 'from-inbound-email';

/** Who acts for inbound mail in the audit trail and on timelines. */
const mailActor = systemActor('inbound email');

/** A message refused before it was stored: the SMTP reply code and text say why. */
export class InboundRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type InboundResult = {
  id: string;
  outcome: InboundOutcome;
  ticketId: string | null;
  ticketNumber: number | null;
  communicationId: string | null;
  detail: string | null;
};

type Processed = Omit<InboundResult, 'id' | 'ticketNumber'>;

/** The most of an email's text a ticket message holds (the message schema's limit). */
const MAX_BODY = 100_000;

const subjectOf = (mail: InboundMail) => (mail.subject || '(no subject)').slice(0, 300);

const bodyOf = (mail: InboundMail) => {
  const text = mail.text || '(the email has no text)';
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 40)}\n\n[cut: the email is longer]` : text;
};

/** A display name split the way a person's record holds it; an address alone stands as the family name. */
function personName(from: InboundMail['from']) {
  const words = from.name.replace(/["<>]/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { familyName: from.address.slice(0, 100) };
  if (words.length === 1) return { givenName: words[0]!.slice(0, 100) };
  return { givenName: words.slice(0, -1).join(' ').slice(0, 100), familyName: words.at(-1)!.slice(0, 100) };
}

const newestFirst = keyset(
  [
    { expression: inboundMessages.receivedAt, type: 'timestamptz' },
    { expression: inboundMessages.id, type: 'uuid' },
  ],
  'desc',
);

export type InboundService = ReturnType<typeof createInboundService>;

/**
 * Mail to the support address. `receive` stores what the listener accepted (raw bytes, a row, the
 * job) before the sender hears 250; `process` decides what it is, once: a bounce for the bounce
 * handling, an automatic reply to keep and leave unanswered, or a customer's words for a ticket.
 */
export function createInboundService(deps: {
  db: Database;
  blobs: Pick<BlobStore, 'put' | 'putMany' | 'read'>;
  queue: Pick<JobQueue, 'enqueue'>;
  clock: Clock;
  tickets: Pick<TicketsService, 'create' | 'addCustomerMessage' | 'openFor' | 'byNumber'>;
  customers: Pick<CustomersService, 'list' | 'create'>;
  receipts: Pick<ReceiptsService, 'bounce'>;
  maxBytes: number;
  /** Mail to a scan address is scanned paper: its attachments go to the scans service instead of a ticket. */
  scans?: Pick<ScansService, 'receiveMail'>;
  scanAddresses?: string[];
}) {
  const { db, blobs, clock } = deps;
  // Two messages from one new sender must not make two customers; processing in this process waits its turn per address.
  const senderTurns = new Map<string, Promise<unknown>>();

  async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = senderTurns.get(key) ?? Promise.resolve();
    const mine = before.catch(() => {}).then(work);
    senderTurns.set(key, mine);
    try {
      return await mine;
    } finally {
      if (senderTurns.get(key) === mine) senderTurns.delete(key);
    }
  }

  /** The sender's customer by email; an unknown sender becomes a new lead, tagged for review. */
  function senderCustomer(from: InboundMail['from']) {
    return inTurn(from.address, async () => {
      const { customers: found } = await deps.customers.list(mailActor, {
        q: from.address,
        archived: 'all',
        sort: 'created',
        order: 'asc',
        limit: 20,
      });
      const known =
        found.find((customer) => !customer.archivedAt && !customer.mergedInto) ??
        found.find((customer) => !customer.mergedInto);
      if (known) return { id: known.id, created: false };
      const created = await deps.customers.create(mailActor, {
        kind: 'person',
        ...personName(from),
        emails: [from.address],
        lifecycleStage: 'prospect',
        tags: [INBOUND_LEAD_TAG],
      });
      return { id: created.id, created: true };
    });
  }

  async function applyReport(mail: InboundMail): Promise<Processed> {
    const report = mail.report!;
    const none = { ticketId: null, communicationId: null };
    if (report.kind === 'none')
      return { ...none, outcome: 'bounce', detail: 'A delivery status notification reporting no failure.' };
    if (!report.originalMessageId)
      return { ...none, outcome: 'bounce', detail: 'A bounce that names no original Message-ID; nothing to apply.' };
    try {
      const communication = await deps.receipts.bounce(mailActor, {
        messageId: report.originalMessageId,
        kind: report.kind,
        diagnostic: [report.recipient, report.diagnostic].filter(Boolean).join(': ').slice(0, 1000) || undefined,
      });
      return {
        ...none,
        communicationId: communication.id,
        outcome: 'bounce',
        detail: `A ${report.kind} bounce for ${report.originalMessageId}; the communication is ${communication.status}.`,
      };
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found')
        return { ...none, outcome: 'bounce', detail: `A ${report.kind} bounce for an email Tidings did not send.` };
      throw error;
    }
  }

  /**
   * The attachments a ticket may hold (the types staff may attach too), stored as blobs; the others
   * are named in the message, and stay in the raw message kept beside it.
   */
  async function attachmentsOf(mail: InboundMail) {
    const accepted = (type: string): boolean => (attachmentMediaTypes as readonly string[]).includes(type);
    const kept = mail.attachments.filter((attachment) => accepted(attachment.mediaType));
    const left = mail.attachments.filter((attachment) => !accepted(attachment.mediaType));
    const stored = kept.length ? await blobs.putMany(kept.map((attachment) => attachment.content)) : [];
    return {
      attachments: kept.map((attachment, index) => ({
        sha256: stored[index]!.sha256,
        size: stored[index]!.size,
        filename: attachment.filename.slice(0, 200),
        mediaType: attachment.mediaType,
      })),
      notAttached: left.map((attachment) => `${attachment.filename} (${attachment.mediaType})`),
    };
  }

  const toScanAddress = (row: typeof inboundMessages.$inferSelect) =>
    deps.scans !== undefined && row.recipients.some((recipient) => deps.scanAddresses?.includes(recipient));

  /** Scanned paper mailed in (by a scanner or the mail room): each PDF or picture becomes a scan, read and filed by its job. */
  async function toScans(row: typeof inboundMessages.$inferSelect, mail: InboundMail): Promise<Processed> {
    const taken = await deps.scans!.receiveMail(row.id, mail.attachments);
    return {
      outcome: 'scans',
      ticketId: null,
      communicationId: null,
      detail: taken
        ? `Mail to the scan address: ${taken} scan${taken === 1 ? '' : 's'} taken to be read and filed.`
        : 'Mail to the scan address without a PDF or picture attached: nothing to file.',
    };
  }

  async function toTicket(row: typeof inboundMessages.$inferSelect, mail: InboundMail): Promise<Processed> {
    const already = await ticketWithEmail(db, row.messageId);
    if (already)
      return {
        outcome: 'duplicate',
        ticketId: already,
        communicationId: null,
        detail: `The email ${row.messageId} is already on this ticket.`,
      };
    const { attachments, notAttached } = await attachmentsOf(mail);
    const message: IncomingMessage = {
      body: notAttached.length
        ? `${bodyOf(mail)}\n\n[Not attached, of a type tickets do not take: ${notAttached.join(', ')}]`
        : bodyOf(mail),
      authorLabel: mail.from.name ? `${mail.from.name} <${mail.from.address}>` : mail.from.address,
      emailMessageId: row.messageId,
      rawSha256: row.rawSha256,
      attachments,
    };
    const addTo = async (ticketId: string, communicationId: string | null, detail: string): Promise<Processed> => {
      const added = await deps.tickets.addCustomerMessage(mailActor, ticketId, message);
      return { outcome: 'ticket_message', ticketId: added.ticketId, communicationId, detail };
    };
    const open = async (
      customerId: string,
      kind: 'request' | 'inquiry',
      communicationId: string | null,
      detail: string,
    ): Promise<Processed> => {
      const created = await deps.tickets.create(
        mailActor,
        {
          kind,
          subject: subjectOf(mail),
          customerId,
          source: 'email',
          priority: 'normal',
          tags: [],
          communicationId: communicationId ?? undefined,
        },
        message,
      );
      return { outcome: 'ticket_created', ticketId: created.id, communicationId, detail };
    };

    // The Message-IDs it answers are Tidings' own and cannot be guessed: they place it, whoever sent it.
    const thread = await answeredThread(db, mail.answers);
    if (thread?.ticketId) return addTo(thread.ticketId, thread.communicationId, 'A reply in a ticket conversation.');
    if (thread?.communicationId) {
      const [waiting] = await deps.tickets.openFor(db, thread.customerId, thread.communicationId);
      if (waiting)
        return addTo(waiting.id, thread.communicationId, 'A reply to a communication whose ticket is still open.');
      // About a letter Tidings sent: linked to it and its template version, ready to be called a complaint.
      return open(thread.customerId, 'inquiry', thread.communicationId, 'A reply to a communication Tidings sent.');
    }
    const customer = await senderCustomer(mail.from);
    const lead = customer.created ? ' The sender was unknown: a new lead was created.' : '';
    const number = ticketNumberIn(mail.subject);
    if (number !== null) {
      // A number is easy to guess: only the ticket's own customer adds to it this way.
      const named = await deps.tickets.byNumber(db, number);
      if (named?.customerId === customer.id)
        return addTo(named.id, null, `The subject names ticket #${number}.${lead}`);
      return open(
        customer.id,
        'request',
        null,
        `The subject names ticket #${number}, which is not the sender's.${lead}`,
      );
    }
    return open(customer.id, 'request', null, `A new request.${lead}`);
  }

  async function result(executor: Executor, row: typeof inboundMessages.$inferSelect): Promise<InboundResult> {
    return {
      id: row.id,
      outcome: row.outcome!,
      ticketId: row.ticketId,
      ticketNumber: row.ticketId ? await ticketNumberOf(executor, row.ticketId) : null,
      communicationId: row.communicationId,
      detail: row.detail,
    };
  }

  return {
    /**
     * Stores an accepted message: its bytes in the blob store (synced), its row and its processing job
     * in one transaction. Only after this returns may the listener answer 250. A message over the size
     * limit, or one that does not parse, is refused and nothing is stored.
     */
    async receive(raw: Buffer, envelope: { mailFrom: string | null; recipients: string[] }) {
      if (raw.length > deps.maxBytes)
        throw new InboundRefusal(552, `5.3.4 The message is larger than the ${deps.maxBytes}-byte limit.`);
      let mail: InboundMail;
      try {
        mail = await parseInboundMail(raw, envelope.mailFrom);
      } catch (error) {
        if (error instanceof UnparseableMail) throw new InboundRefusal(550, `5.6.0 Refused: ${error.message}.`);
        throw error;
      }
      const stored = await blobs.put(raw);
      const id = randomUUID();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(inboundMessages)
          .values({
            id,
            rawSha256: stored.sha256,
            size: stored.size,
            mailFrom: envelope.mailFrom,
            recipients: envelope.recipients,
            messageId: mail.messageId ?? `<inbound-${id}@tidings.invalid>`,
            fromAddress: mail.from.address,
            subject: mail.subject.slice(0, 1000),
            receivedAt: clock.now(),
          })
          .returning();
        await deps.queue.enqueue(tx, {
          kind: INBOUND_PROCESS_JOB,
          payload: { inboundMessageId: id },
          idempotencyKey: `inbound:${id}`,
        });
        return row!;
      });
    },

    /**
     * Decides what a stored message is and acts on it, once: a message already processed answers
     * with its outcome; one whose earlier attempt was cut short finds its ticket message by
     * Message-ID instead of adding another.
     */
    async process(id: string): Promise<InboundResult> {
      const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, id));
      if (!row) throw notFound('inbound message', id);
      if (row.status === 'processed') return result(db, row);
      const mail = await parseInboundMail(await blobs.read(row.rawSha256), row.mailFrom);
      const processed: Processed = mail.report
        ? await applyReport(mail)
        : mail.autoReply
          ? {
              outcome: 'auto_reply',
              ticketId: null,
              communicationId: null,
              detail: `An automatic reply (${mail.autoReply}): kept, not answered, no ticket.`,
            }
          : toScanAddress(row)
            ? await toScans(row, mail)
            : await toTicket(row, mail);
      const [updated] = await db
        .update(inboundMessages)
        .set({ ...processed, status: 'processed', processedAt: clock.now() })
        .where(and(eq(inboundMessages.id, id), ne(inboundMessages.status, 'processed')))
        .returning();
      if (updated) return result(db, updated);
      const [settled] = await db.select().from(inboundMessages).where(eq(inboundMessages.id, id));
      return result(db, settled!);
    },

    /** What arrived, newest first, and what became of it. */
    async list(actor: Actor, query: ListInboundQuery) {
      authorize(actor, 'inbound.read');
      const rows = await db
        .select({ message: inboundMessages, position: newestFirst.position })
        .from(inboundMessages)
        .where(
          and(
            query.status ? eq(inboundMessages.status, query.status) : undefined,
            query.outcome ? eq(inboundMessages.outcome, query.outcome) : undefined,
            newestFirst.after(query.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(rows, query.limit);
      return { messages: page.rows.map((row) => row.message), nextCursor: page.nextCursor };
    },

    /** A job that gave up: the message stays stored, marked failed with the reason, for an admin to retry. */
    async markFailed(executor: Executor, id: string, lastError: string) {
      await executor
        .update(inboundMessages)
        .set({ status: 'failed', detail: lastError.slice(0, 2000) })
        .where(and(eq(inboundMessages.id, id), ne(inboundMessages.status, 'processed')));
    },
  };
}
