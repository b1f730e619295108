import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers, type Channel, type Purpose } from '../customers/customers.tables.js';
import { segments } from '../customers/customers.tables.js';
import { templates, templateVersions } from '../templates/templates.tables.js';

/**
 * Where a communication stands; src/communications/lifecycle.ts says which event moves it from which
 * status to which, and every status write goes through that table.
 */
export const communicationStatuses = [
  'queued',
  'rendered',
  'handing_over',
  'awaiting_print',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'suppressed',
] as const;
export type CommunicationStatus = (typeof communicationStatuses)[number];

/**
 * Statuses in which delivery has nothing left to do: only a receipt, a bounce or an admin's retry of
 * a dead delivery job may still move them.
 */
export const finalStatuses: readonly CommunicationStatus[] = ['sent', 'delivered', 'failed', 'bounced', 'suppressed'];

/** A letter in the print queue: done for its run, waiting for the next print batch. */
export const waitsForPrint = (communication: { status: CommunicationStatus }) =>
  communication.status === 'awaiting_print';

/** One item sent (or refused) to one customer, with everything needed to prove what it was. */
export const communications = pgTable(
  'communications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    templateVersionId: uuid('template_version_id')
      .notNull()
      .references(() => templateVersions.id),
    purpose: text('purpose').$type<Purpose | 'regulatory'>().notNull(),
    batchRunId: uuid('batch_run_id'),
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the request that first used the idempotency key: a different request with it is refused. */
    requestHash: text('request_hash'),
    status: text('status').$type<CommunicationStatus>().notNull().default('queued'),
    statusReason: text('status_reason'),
    channel: text('channel').$type<Channel>(),
    channelReason: text('channel_reason'),
    address: text('address'),
    language: text('language'),
    /** Channels that failed hard for this item; routing falls back past them. */
    failedChannels: text('failed_channels')
      .array()
      .$type<Channel[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    deferUntil: timestamp('defer_until', { withTimezone: true }),
    /** The exact bytes handed to the channel (.eml, PDF, SMS text, portal HTML), content-addressed. */
    archiveSha256: text('archive_sha256'),
    archiveMediaType: text('archive_media_type'),
    archiveSize: integer('archive_size'),
    /** The data, customer fields and fragment versions it was rendered from. */
    snapshotSha256: text('snapshot_sha256'),
    providerMessageId: text('provider_message_id'),
    transport: text('transport'),
    printBatchId: uuid('print_batch_id'),
    costMillicents: integer('cost_millicents'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('communications_idempotency_idx').on(table.idempotencyKey),
    // One communication per customer per batch run, even if a run is resumed after a crash.
    uniqueIndex('communications_run_customer_idx')
      .on(table.batchRunId, table.customerId)
      .where(sql`batch_run_id is not null`),
    // A customer's communications newest first (the staff list by customer, the portal inbox): each
    // page is read off the index in order from the cursor on, however many the customer has.
    index('communications_customer_idx').on(table.customerId, table.createdAt, table.id),
    index('communications_status_idx').on(table.status, table.channel),
    index('communications_template_idx').on(table.templateId, table.templateVersionId),
    index('communications_provider_idx').on(table.providerMessageId),
    index('communications_created_idx').on(table.createdAt, table.id),
    // The KPIs read closed days from their daily rollup and today live: by this index, today's sends
    // are a short range (the board took 2.6 s p95 at a million communications without it, 1.2 s with).
    index('communications_sent_idx').on(table.sentAt),
  ],
);

export const attemptOutcomes = [
  'handing_over',
  'handed_over',
  'failed_temporarily',
  'failed_permanently',
  /** A hard bounce: the mailbox refused the email after the server had taken it. */
  'bounced',
  'suppressed',
  'deferred',
] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** Each try to hand an item to a channel, with what the provider said. */
export const communicationAttempts = pgTable(
  'communication_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    communicationId: uuid('communication_id')
      .notNull()
      .references(() => communications.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<Channel>(),
    outcome: text('outcome').$type<AttemptOutcome>().notNull(),
    detail: text('detail').notNull(),
    providerResponse: jsonb('provider_response').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (table) => [index('communication_attempts_idx').on(table.communicationId, table.at)],
);

/** `awaiting_print`: every item is final except letters waiting for the next print batch; printing them completes the run. */
export const batchRunStatuses = ['scheduled', 'running', 'paused', 'awaiting_print', 'completed', 'cancelled'] as const;
export type BatchRunStatus = (typeof batchRunStatuses)[number];

export const batchRuns = pgTable('batch_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  templateId: uuid('template_id')
    .notNull()
    .references(() => templates.id),
  templateVersionId: uuid('template_version_id')
    .notNull()
    .references(() => templateVersions.id),
  /** The audience: a segment, or (a corrective mailing) the customers who received the versions in `correctsVersionIds`. */
  segmentId: uuid('segment_id').references(() => segments.id),
  correctsVersionIds: uuid('corrects_version_ids').array(),
  status: text('status').$type<BatchRunStatus>().notNull().default('scheduled'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
  /** The last customer id a communication was created for: where a resumed run continues. */
  cursor: uuid('cursor'),
  total: integer('total').notNull().default(0),
  created: integer('created').notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** One merged PDF plus a manifest for the print-and-post vendor. */
export const printBatches = pgTable('print_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  pdfSha256: text('pdf_sha256').notNull(),
  manifestSha256: text('manifest_sha256').notNull(),
  items: integer('items').notNull(),
  pages: integer('pages').notNull(),
  folder: text('folder'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Cost of one item per channel, in thousandths of a cent, so ROI can be computed later. */
export const channelRates = pgTable('channel_rates', {
  channel: text('channel').$type<Channel>().primaryKey(),
  costMillicents: integer('cost_millicents').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
