import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documentFolders, documents } from '../documents/documents.tables.js';
import { users } from '../users/users.tables.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const webdavLockScopes = ['exclusive', 'shared'] as const;
export type WebdavLockScope = (typeof webdavLockScopes)[number];

/** What a WebDAV property or lock is on: a document (a resource) or a folder (a collection). */
export const webdavTargetTypes = ['document', 'folder'] as const;
export type WebdavTargetType = (typeof webdavTargetTypes)[number];

/**
 * A WebDAV lock token. On a document it stands for the document's check-out (documents.locked_by),
 * which is the lock the repository enforces; the token is how a WebDAV client proves it is the
 * holder's editor. On a folder it guards the collection's members against other WebDAV writers.
 */
export const webdavLocks = pgTable(
  'webdav_locks',
  {
    token: text('token').primaryKey(),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    folderId: uuid('folder_id').references(() => documentFolders.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: text('scope').$type<WebdavLockScope>().notNull(),
    /** '0' or 'infinity'; a document's lock is always '0'. */
    depth: text('depth').$type<'0' | 'infinity'>().notNull(),
    /** The client's DAV:owner element, returned as it was sent. */
    ownerXml: text('owner_xml').notNull().default(''),
    timeoutSeconds: integer('timeout_seconds').notNull(),
    expiresAt: instant('expires_at').notNull(),
    /** Something was PUT under this lock, so UNLOCK checks the document in rather than cancelling. */
    changed: boolean('changed').notNull().default(false),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    index('webdav_locks_document_idx').on(table.documentId),
    index('webdav_locks_folder_idx').on(table.folderId),
  ],
);

/** Dead properties a WebDAV client set with PROPPATCH, kept as the XML it sent. */
export const webdavProperties = pgTable(
  'webdav_properties',
  {
    targetType: text('target_type').$type<WebdavTargetType>().notNull(),
    targetId: uuid('target_id').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    /** The property element serialized, namespace declarations included. */
    valueXml: text('value_xml').notNull(),
  },
  (table) => [primaryKey({ columns: [table.targetType, table.targetId, table.namespace, table.name] })],
);
