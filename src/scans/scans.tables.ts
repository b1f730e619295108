import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communications } from '../communications/communications.tables.js';
import { customers } from '../customers/customers.tables.js';
import { documents } from '../documents/documents.tables.js';
import { inboundMessages } from '../inbound/inbound.tables.js';
import { tickets } from '../tickets/tickets.tables.js';

/** src/scans/scan-lifecycle.ts says which event moves a scan from which status to which. */
export const scanStatuses = ['received', 'filing', 'filed', 'unmatched', 'failed'] as const;
export type ScanStatus = (typeof scanStatuses)[number];

export const scanSources = ['upload', 'email'] as const;
export type ScanSource = (typeof scanSources)[number];

/** How the scan found its letter: the QR code, the printed reference read by OCR, or a person. */
export const scanMethods = ['qr', 'text', 'hand'] as const;
export type ScanMethod = (typeof scanMethods)[number];

/** The kinds of file a scan may be. */
export const scanMediaTypes = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'] as const;
export type ScanMediaType = (typeof scanMediaTypes)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Paper that came back: a scanned or photographed answer, uploaded or mailed in, read for the
 * reference code its letter printed, and filed on that customer (a document in "Scanned mail" and a
 * ticket on the communication), or left for staff to file by hand. Each filing step's result is
 * kept here before the next, so a retried job continues where it stopped.
 */
export const scans = pgTable(
  'scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').$type<ScanStatus>().notNull().default('received'),
    source: text('source').$type<ScanSource>().notNull(),
    /** An emailed scan: the message and which of its attachments, so a retried message adds none twice. */
    inboundMessageId: uuid('inbound_message_id').references(() => inboundMessages.id),
    attachmentIndex: integer('attachment_index'),
    filename: text('filename').notNull(),
    mediaType: text('media_type').$type<ScanMediaType>().notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    /** The reference code found on it (or typed by whoever filed it), normalised: TDG-XXXXX-XXXXX. */
    reference: text('reference'),
    method: text('method').$type<ScanMethod>(),
    /** Where it is filed: chosen by the reference, or by hand. */
    customerId: uuid('customer_id').references(() => customers.id),
    communicationId: uuid('communication_id').references(() => communications.id),
    documentId: uuid('document_id').references(() => documents.id),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    /** What reading it found, in words: why it did not match, the last error. */
    detail: text('detail'),
    /** The start of the text OCR read, when it had to read it. */
    text: text('text'),
    receivedBy: text('received_by').notNull(),
    filedBy: text('filed_by'),
    receivedAt: instant('received_at').notNull(),
    filedAt: instant('filed_at'),
  },
  (table) => [
    index('scans_received_idx').on(table.receivedAt, table.id),
    index('scans_status_idx').on(table.status, table.receivedAt, table.id),
    uniqueIndex('scans_inbound_attachment_idx').on(table.inboundMessageId, table.attachmentIndex),
  ],
);
