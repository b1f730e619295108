import { and, eq, ilike, inArray, ne } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { communications } from '../communications/communications.tables.js';
import { customers } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { tickets } from '../tickets/tickets.tables.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';
import { receive, type IncomingFile } from './document-content.js';
import type { TextExtraction } from './text/text-extraction.service.js';
import { assertChangeable, nextDocumentStatus } from './document-lifecycle.js';
import { checkLock } from './document-locks.js';
import { readableDocuments } from './access/document-access.js';
import type { GrantPresence } from './access/grant-presence.js';
import { assertDocumentAccess, assertFolderAccess } from './access/document-permissions.js';
import { metadataFor } from './document-types.metadata.js';
import {
  loadDocument,
  presentDocument,
  presentSummary,
  recentlyChanged,
  selectSummaries,
  userName,
  type DocumentRow,
} from './document-records.js';
import type { LinkInput, ListDocumentsQuery, UpdateDocumentInput, UploadFields } from './documents.schemas.js';
import {
  documentFolders,
  documentLinks,
  documents,
  documentVersions,
  listedDocumentStatuses,
  type DocumentLinkTarget,
} from './documents.tables.js';

export type DocumentsService = ReturnType<typeof createDocumentsService>;

const linkTables = { customer: customers, ticket: tickets, communication: communications } as const;

const missing = (what: string, id: string, path: string) =>
  new AppError('not_found', `${what}.not_found`, `No ${what} with id ${id}.`, [{ path, message: `names no ${what}` }]);

/**
 * The repository's documents: upload (streamed into the blob store, duplicates found by hash),
 * listing, metadata, links and deletion. Versions and locks are in document-versions.service.ts.
 */
export function createDocumentsService({
  db,
  audit,
  clock,
  blobs,
  timeline,
  maxBytes,
  textExtraction,
  grants,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'put'>;
  timeline: Pick<Timeline, 'append'>;
  maxBytes: number;
  /** Every new version's text is read by a job queued with it. */
  textExtraction: Pick<TextExtraction, 'enqueue'>;
  grants: GrantPresence;
}) {
  async function assertFolder(executor: Executor, folderId: string, path: string) {
    const [folder] = await executor
      .select({ id: documentFolders.id })
      .from(documentFolders)
      .where(eq(documentFolders.id, folderId));
    if (!folder) throw missing('folder', folderId, path);
  }

  async function assertTarget(executor: Executor, link: LinkInput, path: string) {
    const table = linkTables[link.targetType];
    const [found] = await executor.select({ id: table.id }).from(table).where(eq(table.id, link.targetId));
    if (!found) throw missing(link.targetType, link.targetId, path);
  }

  /** The lock rule for a change, with the holder's name for the message. */
  async function assertMayChange(executor: Executor, actor: Actor, document: DocumentRow) {
    assertChangeable(document);
    checkLock(
      'change',
      { ...document, holderName: await userName(executor, document.lockedBy) },
      actor.kind === 'user' ? actor.userId : null,
      clock.now(),
    );
  }

  /** The customer's timeline shows each document linked to them. */
  async function onCustomerTimeline(
    tx: Executor,
    actor: Actor,
    document: { id: string; title: string },
    customerId: string,
  ) {
    await timeline.append(tx, {
      customerId,
      kind: 'document',
      title: `Document linked: ${document.title}`,
      subjectType: 'document',
      subjectId: document.id,
      actorLabel: actor.kind === 'user' ? ((await userName(tx, actor.userId)) ?? actor.email) : actor.label,
    });
  }

  /** Other active documents whose current content is these bytes. */
  async function duplicatesOf(executor: Executor, id: string, sha256: string) {
    return executor
      .select({ id: documents.id, title: documents.title })
      .from(documents)
      .where(
        and(
          eq(documents.contentSha256, sha256),
          inArray(documents.status, listedDocumentStatuses),
          ne(documents.id, id),
        ),
      )
      .orderBy(documents.createdAt, documents.id)
      .limit(20);
  }

  return {
    /** A new document, version 1.0, its bytes streamed into the blob store; answers with any duplicates. */
    async upload(actor: Actor, fields: UploadFields, file: IncomingFile) {
      authorize(actor, 'documents.write');
      await assertFolder(db, fields.folderId, 'body.folderId');
      await assertFolderAccess(db, actor, fields.folderId, 'write');
      if (fields.customerId)
        await assertTarget(db, { targetType: 'customer', targetId: fields.customerId }, 'body.customerId');
      const metadata = await metadataFor(db, fields.typeId ?? null, fields.metadata ?? {}, {
        typeId: 'body.typeId',
        metadata: 'body.metadata',
      });
      const content = await receive(blobs, file, maxBytes);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const userId = actor.kind === 'user' ? actor.userId : null;
        const [created] = await tx
          .insert(documents)
          .values({
            folderId: fields.folderId,
            title: fields.title ?? content.filename,
            description: fields.description ?? '',
            tags: fields.tags ?? [],
            typeId: fields.typeId ?? null,
            metadata,
            ownerId: userId,
            currentVersion: '1.0',
            contentSha256: content.sha256,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const document = created!;
        const [version] = await tx
          .insert(documentVersions)
          .values({
            documentId: document.id,
            major: 1,
            minor: 0,
            contentSha256: content.sha256,
            size: content.size,
            mediaType: content.mediaType,
            filename: content.filename,
            comment: '',
            createdBy: userId,
            createdAt: now,
          })
          .returning({ id: documentVersions.id });
        await textExtraction.enqueue(tx, [version!.id]);
        if (fields.customerId) {
          await tx
            .insert(documentLinks)
            .values({ documentId: document.id, targetType: 'customer', targetId: fields.customerId, createdAt: now });
          await onCustomerTimeline(tx, actor, document, fields.customerId);
        }
        await audit.record(tx, actor, {
          action: 'document.uploaded',
          entityType: 'document',
          entityId: document.id,
          summary: {
            title: document.title,
            folderId: document.folderId,
            version: '1.0',
            sha256: content.sha256,
            size: content.size,
            customerId: fields.customerId ?? null,
            typeId: fields.typeId ?? null,
            metadata,
          },
        });
        return {
          ...(await presentDocument(tx, document.id, now)),
          duplicates: await duplicatesOf(tx, document.id, content.sha256),
        };
      });
    },

    /** Active documents, most recently changed first. */
    async list(actor: Actor, query: ListDocumentsQuery) {
      authorize(actor, 'documents.read');
      const rows = await selectSummaries(db)
        .where(
          and(
            inArray(documents.status, listedDocumentStatuses),
            readableDocuments(actor, documents.id, grants),
            query.folderId ? eq(documents.folderId, query.folderId) : undefined,
            query.typeId ? eq(documents.typeId, query.typeId) : undefined,
            query.q ? ilike(documents.title, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
            query.customerId
              ? inArray(
                  documents.id,
                  db
                    .select({ id: documentLinks.documentId })
                    .from(documentLinks)
                    .where(and(eq(documentLinks.targetType, 'customer'), eq(documentLinks.targetId, query.customerId))),
                )
              : undefined,
            recentlyChanged.after(query.cursor),
          ),
        )
        .orderBy(...recentlyChanged.orderBy)
        .limit(query.limit + 1);
      const page = recentlyChanged.page(rows, query.limit);
      const now = clock.now();
      return { documents: page.rows.map((row) => presentSummary(row, now)), nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'documents.read');
      await assertDocumentAccess(db, actor, id, 'read');
      return presentDocument(db, id, clock.now());
    },

    /** Title, description, tags, folder, type and metadata: not versioned, audited field by field. */
    async update(actor: Actor, id: string, change: UpdateDocumentInput) {
      authorize(actor, 'documents.write');
      return db.transaction(async (tx) => {
        const before = await loadDocument(tx, id, true);
        await assertDocumentAccess(tx, actor, id, 'write');
        await assertMayChange(tx, actor, before);
        await assertNotHeld(tx, [{ type: 'document', id }], 'changed');
        if (change.folderId) {
          await assertFolder(tx, change.folderId, 'body.folderId');
          await assertFolderAccess(tx, actor, change.folderId, 'write');
        }
        // A new type checks the metadata again, the values sent or else those the document has.
        const typeId = change.typeId === undefined ? before.typeId : change.typeId;
        const checked =
          change.typeId === undefined && change.metadata === undefined
            ? undefined
            : await metadataFor(tx, typeId, change.metadata ?? (typeId === null ? {} : before.metadata), {
                typeId: 'body.typeId',
                metadata: 'body.metadata',
              });
        const [after] = await tx
          .update(documents)
          .set({ ...change, typeId, metadata: checked, updatedAt: clock.now() })
          .where(eq(documents.id, id))
          .returning();
        const metadata = (row: DocumentRow) => ({
          title: row.title,
          description: row.description,
          tags: row.tags,
          folderId: row.folderId,
          typeId: row.typeId,
          metadata: row.metadata,
        });
        await audit.record(tx, actor, {
          action: 'document.updated',
          entityType: 'document',
          entityId: id,
          summary: { fieldChanges: fieldChanges(metadata(before), metadata(after!)) },
        });
        return presentDocument(tx, id, clock.now());
      });
    },

    /** Marks the document deleted (kept, out of every list); its versions and blobs stay. */
    async remove(actor: Actor, id: string) {
      authorize(actor, 'documents.manage');
      await db.transaction(async (tx) => {
        const document = await loadDocument(tx, id, true);
        await assertDocumentAccess(tx, actor, id, 'manage');
        const status = nextDocumentStatus('delete', document);
        await assertNotHeld(tx, [{ type: 'document', id }], 'deleted');
        await tx.update(documents).set({ status, updatedAt: clock.now() }).where(eq(documents.id, id));
        await audit.record(tx, actor, {
          action: 'document.deleted',
          entityType: 'document',
          entityId: id,
          summary: { title: document.title, from: document.status, to: status, lockedBy: document.lockedBy },
        });
      });
    },

    /** Replaces the document's links; each target must exist, and a newly linked customer sees it on their timeline. */
    async setLinks(actor: Actor, id: string, links: LinkInput[]) {
      authorize(actor, 'documents.write');
      return db.transaction(async (tx) => {
        const document = await loadDocument(tx, id, true);
        await assertDocumentAccess(tx, actor, id, 'write');
        await assertMayChange(tx, actor, document);
        const key = (link: { targetType: DocumentLinkTarget; targetId: string }) =>
          `${link.targetType}:${link.targetId}`;
        const wanted = new Map(links.map((link) => [key(link), link]));
        for (const [index, link] of links.entries()) await assertTarget(tx, link, `body.links.${index}.targetId`);
        const existing = await tx
          .select({ targetType: documentLinks.targetType, targetId: documentLinks.targetId })
          .from(documentLinks)
          .where(eq(documentLinks.documentId, id));
        const had = new Set(existing.map(key));
        const removed = existing.filter((link) => !wanted.has(key(link)));
        const added = [...wanted.values()].filter((link) => !had.has(key(link)));
        // Unlinking could take a held document out of a customer's hold.
        if (removed.length) await assertNotHeld(tx, [{ type: 'document', id }], 'unlinked');
        for (const link of removed)
          await tx
            .delete(documentLinks)
            .where(
              and(
                eq(documentLinks.documentId, id),
                eq(documentLinks.targetType, link.targetType),
                eq(documentLinks.targetId, link.targetId),
              ),
            );
        const now = clock.now();
        if (added.length)
          await tx.insert(documentLinks).values(added.map((link) => ({ documentId: id, ...link, createdAt: now })));
        for (const link of added)
          if (link.targetType === 'customer') await onCustomerTimeline(tx, actor, document, link.targetId);
        await tx.update(documents).set({ updatedAt: now }).where(eq(documents.id, id));
        await audit.record(tx, actor, {
          action: 'document.links_changed',
          entityType: 'document',
          entityId: id,
          summary: { added, removed },
        });
        return presentDocument(tx, id, now);
      });
    },
  };
}
