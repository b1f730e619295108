import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.js';
import { documentTypes, type Metadata } from './document-types.tables.js';

/**
 * Live, or deleted (kept, hidden from lists); a record (declared under a record category: content and
 * metadata fixed), or disposed (a record whose retention ended: content destroyed, a certificate kept).
 */
export const documentStatuses = ['active', 'deleted', 'record', 'disposed'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** The statuses lists and counts show: a record stays in its folder. */
export const listedDocumentStatuses: DocumentStatus[] = ['active', 'record'];

export const documentLinkTargets = ['customer', 'ticket', 'communication'] as const;
export type DocumentLinkTarget = (typeof documentLinkTargets)[number];

/** Names people read sorted sort by language rules on both engines, as customer names do. */
const languageSortedText = customType<{ data: string }>({ dataType: () => 'text collate "und-x-icu"' });

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A folder of the repository's tree; names are unique among siblings (top-level ones among themselves). */
export const documentFolders = pgTable(
  'document_folders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: languageSortedText('name').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => documentFolders.id),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    // NULLS NOT DISTINCT keeps two top-level folders of one name apart as well.
    unique('document_folders_name_unique').on(table.parentId, table.name).nullsNotDistinct(),
  ],
);

/**
 * A document: its metadata, which version is current (and that version's content hash, for
 * duplicate detection) and who holds it checked out. An expired lock counts as none.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    folderId: uuid('folder_id')
      .notNull()
      .references(() => documentFolders.id),
    title: languageSortedText('title').notNull(),
    description: text('description').notNull().default(''),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status').$type<DocumentStatus>().notNull().default('active'),
    /** The document type whose fields `metadata` holds; none, and metadata is empty. */
    typeId: uuid('type_id').references(() => documentTypes.id),
    metadata: jsonb('metadata').$type<Metadata>().notNull().default({}),
    /** "major.minor" of the current version. */
    currentVersion: text('current_version').notNull(),
    contentSha256: text('content_sha256').notNull(),
    lockedBy: uuid('locked_by').references(() => users.id, { onDelete: 'set null' }),
    lockedAt: instant('locked_at'),
    lockExpiresAt: instant('lock_expires_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [
    index('documents_folder_idx').on(table.folderId, table.updatedAt, table.id),
    index('documents_updated_idx').on(table.updatedAt, table.id),
    index('documents_content_idx').on(table.contentSha256),
    index('documents_type_idx').on(table.typeId, table.updatedAt, table.id),
  ],
);

/** Every content a document has had; never changed once written. Restoring one writes a new version. */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    major: integer('major').notNull(),
    minor: integer('minor').notNull(),
    /** The bytes, in the blob store. */
    contentSha256: text('content_sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    filename: text('filename').notNull(),
    comment: text('comment').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [uniqueIndex('document_versions_number_idx').on(table.documentId, table.major, table.minor)],
);

/** The customers, tickets and communications a document concerns. */
export const documentLinks = pgTable(
  'document_links',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    targetType: text('target_type').$type<DocumentLinkTarget>().notNull(),
    targetId: uuid('target_id').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.documentId, table.targetType, table.targetId] }),
    index('document_links_target_idx').on(table.targetType, table.targetId),
  ],
);

/** Who a grant names: one user, every member of a team, or everyone holding a role. */
export const accessSubjectTypes = ['user', 'team', 'role'] as const;
export type AccessSubjectType = (typeof accessSubjectTypes)[number];

/** `none` shuts a subject out below a folder that lets it in; the others rise in order. */
export const accessLevels = ['none', 'read', 'write', 'manage'] as const;
export type AccessLevel = (typeof accessLevels)[number];

/**
 * A permission on a folder (for everything below it) or on one document. For each subject the
 * grant nearest the document wins; a folder or document with no grant on its way to the root is
 * left to the role policy (src/documents/access/ explains the rules).
 */
export const documentGrants = pgTable(
  'document_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    folderId: uuid('folder_id').references(() => documentFolders.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    subjectType: text('subject_type').$type<AccessSubjectType>().notNull(),
    /** A user's or team's id, or a role's name. */
    subjectId: text('subject_id').notNull(),
    level: text('level').$type<AccessLevel>().notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    check('document_grants_one_target', sql`(${table.folderId} is null) <> (${table.documentId} is null)`),
    uniqueIndex('document_grants_folder_subject_idx')
      .on(table.folderId, table.subjectType, table.subjectId)
      .where(sql`${table.folderId} is not null`),
    uniqueIndex('document_grants_document_subject_idx')
      .on(table.documentId, table.subjectType, table.subjectId)
      .where(sql`${table.documentId} is not null`),
  ],
);
