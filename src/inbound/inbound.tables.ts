import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { communications } from '../communications/communications.tables.js';
import { tickets } from '../tickets/tickets.tables.js';

/** received: stored and waiting for its job; processed: its outcome is known; failed: the job gave up. */
export const inboundStatuses = ['received', 'processed', 'failed'] as const;
export type InboundStatus = (typeof inboundStatuses)[number];

/** What became of a message. */
export const inboundOutcomes = [
  /** A new ticket was opened for it. */
  'ticket_created',
  /** It was added to a ticket that already existed (a reply, or the ticket open for the same letter). */
  'ticket_message',
  /** The same message (by Message-ID) is already on a ticket: delivered twice, or its job retried. */
  'duplicate',
  /** A delivery status notification: fed to the bounce handling, no ticket. */
  'bounce',
  /** An automatic reply (out of office, list mail): kept here, no ticket, never answered. */
  'auto_reply',
  /** Mail to a scan address: its PDFs and pictures were handed to the scans service to be read and filed. */
  'scans',
] as const;
export type InboundOutcome = (typeof inboundOutcomes)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Every message the listener (or `tidings inbound test`) accepted, stored before the 250 went out:
 * the raw bytes in the blob store, this row, and the job that processes it, in one transaction.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').$type<InboundStatus>().notNull().default('received'),
    outcome: text('outcome').$type<InboundOutcome>(),
    /** The message exactly as received, content-addressed. */
    rawSha256: text('raw_sha256').notNull(),
    size: integer('size').notNull(),
    /** The envelope: who the sending server said it was from, and the accepted recipients. */
    mailFrom: text('mail_from'),
    recipients: text('recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The Message-ID header with its angle brackets; one is made up when the message has none. */
    messageId: text('message_id').notNull(),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull().default(''),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    communicationId: uuid('communication_id').references(() => communications.id),
    /** What processing found, in words: the bounce applied, why a reply was not threaded, the last error. */
    detail: text('detail'),
    receivedAt: instant('received_at').notNull(),
    processedAt: instant('processed_at'),
  },
  (table) => [
    index('inbound_messages_received_idx').on(table.receivedAt, table.id),
    index('inbound_messages_message_id_idx').on(table.messageId),
  ],
);
