import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { documents } from '../documents/documents.tables.js';
import { users } from '../users/users.tables.js';
import { legalHolds } from './legal-holds.tables.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * How long a category's records are kept: N years from the record's creation, N years from an
 * event (a date in a metadata field of the document, or set by hand, e.g. a contract's end), or for good.
 */
export const retentionTriggers = ['creation', 'event', 'permanent'] as const;
export type RetentionTrigger = (typeof retentionTriggers)[number];

/** A record category and its retention rule. The built-in "Customer communications" holds every archived copy. */
export const recordCategories = pgTable(
  'record_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    description: text('description').notNull().default(''),
    trigger: text('trigger').$type<RetentionTrigger>().notNull(),
    /** Years kept after the trigger; null when permanent. */
    years: integer('years'),
    /** For an event trigger: the metadata field (a date) the event is read from, when the document has it. */
    eventField: text('event_field'),
    /** The category every archived communication belongs to: not renamed, not removed, its trigger is creation or permanent. */
    builtIn: boolean('built_in').notNull().default(false),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  () => [
    check(
      'record_categories_years',
      sql`(trigger = 'permanent') = (years is null) and (years is null or years between 0 and 200)`,
    ),
  ],
);

/**
 * A document declared a record: its category, the event date when its category counts from one, and
 * the first day it may be disposed (null: kept for good, or its event has no date yet).
 */
export const documentRecords = pgTable(
  'document_records',
  {
    documentId: uuid('document_id')
      .primaryKey()
      .references(() => documents.id),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => recordCategories.id),
    eventDate: date('event_date', { mode: 'string' }),
    retainUntil: date('retain_until', { mode: 'string' }),
    /** When retainUntil was last set: an exclusion from disposition decided before that no longer stands. */
    retentionSetAt: instant('retention_set_at').notNull(),
    declaredBy: uuid('declared_by').references(() => users.id, { onDelete: 'set null' }),
    declaredByLabel: text('declared_by_label').notNull(),
    declaredAt: instant('declared_at').notNull(),
  },
  (table) => [
    index('document_records_due_idx').on(table.retainUntil),
    index('document_records_category_idx').on(table.categoryId),
  ],
);

export const dispositionBatchStatuses = ['awaiting_approval', 'approved'] as const;
export type DispositionBatchStatus = (typeof dispositionBatchStatuses)[number];

/** Records whose retention ended, listed by the daily job, waiting for a records manager's decision. */
export const dispositionBatches = pgTable(
  'disposition_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' }).generatedAlwaysAsIdentity().notNull().unique(),
    status: text('status').$type<DispositionBatchStatus>().notNull().default('awaiting_approval'),
    /** The day whose due records it lists. */
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    createdAt: instant('created_at').notNull(),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    approvedByLabel: text('approved_by_label'),
    approvedAt: instant('approved_at'),
  },
  (table) => [index('disposition_batches_created_idx').on(table.createdAt, table.id)],
);

export const dispositionObjectTypes = ['document', 'communication'] as const;
export type DispositionObjectType = (typeof dispositionObjectTypes)[number];

/**
 * listed: waiting; excluded: kept, with the reason; held: a hold covered it when the batch was
 * approved; destroyed: its content is gone.
 */
export const dispositionItemStatuses = ['listed', 'excluded', 'held', 'destroyed'] as const;
export type DispositionItemStatus = (typeof dispositionItemStatuses)[number];

/** One content of a destroyed record: its hash, and whether the bytes went or another live object kept them. */
export type DestroyedContent = { sha256: string; size: number; blobDeleted: boolean; sharedWith: string[] };

export const dispositionItems = pgTable(
  'disposition_items',
  {
    batchId: uuid('batch_id')
      .notNull()
      .references(() => dispositionBatches.id),
    objectType: text('object_type').$type<DispositionObjectType>().notNull(),
    objectId: uuid('object_id').notNull(),
    /** What it was, in words, kept after its content is gone. */
    title: text('title').notNull(),
    categoryName: text('category_name').notNull(),
    createdAt: instant('created_at').notNull(),
    retainUntil: date('retain_until', { mode: 'string' }).notNull(),
    status: text('status').$type<DispositionItemStatus>().notNull().default('listed'),
    reason: text('reason'),
    decidedAt: instant('decided_at'),
    decidedByLabel: text('decided_by_label'),
    /** The holds found covering it at approval. */
    heldBy: jsonb('held_by').$type<{ id: string; matter: string }[]>(),
    destroyed: jsonb('destroyed').$type<DestroyedContent[]>(),
  },
  (table) => [
    primaryKey({ columns: [table.batchId, table.objectType, table.objectId] }),
    index('disposition_items_object_idx').on(table.objectType, table.objectId),
  ],
);

export const exportStatuses = ['running', 'done', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/** An e-discovery export of a matter: a job writes the ZIP into the blob store, counting as it goes. */
export const ediscoveryExports = pgTable(
  'ediscovery_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holdId: uuid('hold_id')
      .notNull()
      .references(() => legalHolds.id),
    /** The chosen items; null: everything the hold covers. */
    selection: jsonb('selection').$type<{ type: 'document' | 'communication' | 'ticket'; id: string }[]>(),
    status: text('status').$type<ExportStatus>().notNull().default('running'),
    itemsTotal: integer('items_total').notNull().default(0),
    itemsDone: integer('items_done').notNull().default(0),
    zipSha256: text('zip_sha256'),
    zipSize: bigint('zip_size', { mode: 'number' }),
    error: text('error'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    requestedByLabel: text('requested_by_label').notNull(),
    createdAt: instant('created_at').notNull(),
    finishedAt: instant('finished_at'),
  },
  (table) => [index('ediscovery_exports_hold_idx').on(table.holdId, table.createdAt)],
);
