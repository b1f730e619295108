import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import { rows, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { CreateFolderInput, UpdateFolderInput } from './documents.schemas.js';
import { documentFolders, documents, listedDocumentStatuses } from './documents.tables.js';
import { readableDocuments } from './access/document-access.js';
import type { GrantPresence } from './access/grant-presence.js';
import { assertFolderAccess, visibleFolders } from './access/document-permissions.js';

export type DocumentFoldersService = ReturnType<typeof createDocumentFoldersService>;

const folderNotFound = (id: string, path?: string) =>
  new AppError(
    'not_found',
    'folder.not_found',
    `No folder with id ${id}.`,
    path ? [{ path, message: 'names no folder' }] : [],
  );

const nameTaken = (name: string) =>
  new AppError('conflict', 'folder.name_taken', `This folder already holds a folder named ${name}.`, [
    { path: 'body.name', message: 'is already taken in this folder' },
  ]);

/** The repository's folder tree: names unique among siblings, moves that never make a cycle. */
export function createDocumentFoldersService({
  db,
  audit,
  clock,
  grants,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  grants: GrantPresence;
}) {
  async function load(executor: Executor, id: string, path?: string) {
    const [folder] = await executor.select().from(documentFolders).where(eq(documentFolders.id, id));
    if (!folder) throw folderNotFound(id, path);
    return folder;
  }

  async function assertNameFree(executor: Executor, parentId: string | null, name: string, except?: string) {
    const [clash] = await executor
      .select({ id: documentFolders.id })
      .from(documentFolders)
      .where(
        and(
          parentId ? eq(documentFolders.parentId, parentId) : sql`${documentFolders.parentId} is null`,
          eq(documentFolders.name, name),
          except ? ne(documentFolders.id, except) : undefined,
        ),
      );
    if (clash) throw nameTaken(name);
  }

  /** Refuses to hang a folder below itself or one of its own descendants. */
  async function assertNoCycle(executor: Executor, id: string, parentId: string) {
    const found = await rows<{ id: string }>(
      executor,
      sql`
      with recursive ancestors(id, parent_id) as (
        select id, parent_id from ${documentFolders} where id = ${parentId}
        union
        select f.id, f.parent_id from ${documentFolders} f join ancestors a on f.id = a.parent_id
      )
      select id from ancestors where id = ${id}`,
    );
    if (found.length > 0)
      throw new AppError(
        'validation_failed',
        'folder.cycle',
        'A folder cannot move into itself or a folder below it.',
        [{ path: 'body.parentId', message: 'is this folder or one below it' }],
      );
  }

  /** Folders with how many listed documents the actor may read each holds directly. */
  function withCounts(executor: Executor, actor: Actor, id?: string) {
    return executor
      .select({
        id: documentFolders.id,
        name: documentFolders.name,
        parentId: documentFolders.parentId,
        documentCount: sql<number>`count(${documents.id})::int`,
      })
      .from(documentFolders)
      .leftJoin(
        documents,
        and(
          eq(documents.folderId, documentFolders.id),
          inArray(documents.status, listedDocumentStatuses),
          readableDocuments(actor, documents.id, grants),
        ),
      )
      .where(id ? eq(documentFolders.id, id) : undefined)
      .groupBy(documentFolders.id)
      .orderBy(asc(documentFolders.name), asc(documentFolders.id));
  }

  /** Deletes a folder that holds nothing; with `moveDeletedUp`, its deleted documents go to its parent first. */
  async function removeFolder(actor: Actor, id: string, moveDeletedUp: boolean) {
    authorize(actor, 'documents.write');
    await db.transaction(async (tx) => {
      const folder = await load(tx, id);
      await assertFolderAccess(tx, actor, id, 'write');
      const [children] = await tx.select({ n: count() }).from(documentFolders).where(eq(documentFolders.parentId, id));
      const [held] = await tx
        .select({
          live: sql<number>`(count(*) filter (where ${documents.status} <> 'deleted'))::int`,
          deleted: sql<number>`(count(*) filter (where ${documents.status} = 'deleted'))::int`,
        })
        .from(documents)
        .where(eq(documents.folderId, id));
      // Deleted documents stay in the folder, and so count, unless they can move up to a parent.
      const deletedStay = !moveDeletedUp || !folder.parentId;
      const movedUp = deletedStay ? 0 : held!.deleted;
      if (children!.n > 0 || held!.live > 0 || (deletedStay && held!.deleted > 0)) {
        const why = moveDeletedUp ? ', as it is a top-level folder' : '';
        throw new AppError(
          'conflict',
          'folder.not_empty',
          `The folder ${folder.name} holds ${children!.n} folder(s) and ${held!.live + held!.deleted} document(s)${deletedStay ? ` (deleted ones included${why})` : ''}; move them first.`,
        );
      }
      if (movedUp > 0)
        await tx
          .update(documents)
          .set({ folderId: folder.parentId! })
          .where(and(eq(documents.folderId, id), eq(documents.status, 'deleted')));
      await tx.delete(documentFolders).where(eq(documentFolders.id, id));
      await audit.record(tx, actor, {
        action: 'document_folder.deleted',
        entityType: 'document_folder',
        entityId: id,
        summary: {
          name: folder.name,
          parentId: folder.parentId,
          ...(moveDeletedUp ? { deletedDocumentsMovedUp: movedUp } : {}),
        },
      });
    });
  }

  return {
    /** The whole tree, flat: each folder names its parent. */
    async list(actor: Actor) {
      authorize(actor, 'documents.read');
      return visibleFolders(db, actor, await withCounts(db, actor));
    },

    /** A folder by id, or by its name when only one folder has it (the CLI's `--folder`). */
    async find(actor: Actor, idOrName: string) {
      authorize(actor, 'documents.read');
      const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
      const matches = await db
        .select()
        .from(documentFolders)
        .where(isId ? eq(documentFolders.id, idOrName) : eq(documentFolders.name, idOrName));
      if (matches.length === 1) {
        await assertFolderAccess(db, actor, matches[0]!.id, 'read');
        return matches[0]!;
      }
      if (matches.length === 0)
        throw new AppError('not_found', 'folder.not_found', `No folder ${isId ? 'with id' : 'named'} ${idOrName}.`);
      throw new AppError(
        'conflict',
        'folder.ambiguous',
        `${matches.length} folders are named ${idOrName}; name one by its id.`,
      );
    },

    async create(actor: Actor, input: CreateFolderInput) {
      authorize(actor, 'documents.write');
      return db.transaction(async (tx) => {
        if (input.parentId) {
          await load(tx, input.parentId, 'body.parentId');
          await assertFolderAccess(tx, actor, input.parentId, 'write');
        }
        await assertNameFree(tx, input.parentId, input.name);
        const [created] = await tx
          .insert(documentFolders)
          .values({ name: input.name, parentId: input.parentId, createdAt: clock.now() })
          .returning();
        await audit.record(tx, actor, {
          action: 'document_folder.created',
          entityType: 'document_folder',
          entityId: created!.id,
          summary: { name: created!.name, parentId: created!.parentId },
        });
        return { id: created!.id, name: created!.name, parentId: created!.parentId, documentCount: 0 };
      });
    },

    /** Renames or moves a folder, with everything below it. */
    async update(actor: Actor, id: string, change: UpdateFolderInput) {
      authorize(actor, 'documents.write');
      return db.transaction(async (tx) => {
        const before = await load(tx, id);
        await assertFolderAccess(tx, actor, id, 'write');
        const parentId = change.parentId === undefined ? before.parentId : change.parentId;
        const name = change.name ?? before.name;
        if (parentId) {
          await load(tx, parentId, 'body.parentId');
          await assertFolderAccess(tx, actor, parentId, 'write');
          await assertNoCycle(tx, id, parentId);
        }
        await assertNameFree(tx, parentId, name, id);
        await tx.update(documentFolders).set({ name, parentId }).where(eq(documentFolders.id, id));
        await audit.record(tx, actor, {
          action: 'document_folder.updated',
          entityType: 'document_folder',
          entityId: id,
          summary: {
            fieldChanges: fieldChanges({ name: before.name, parentId: before.parentId }, { name, parentId }),
          },
        });
        return (await withCounts(tx, actor, id))[0]!;
      });
    },

    /** Only an empty folder goes: no folders below it, no documents (deleted ones are kept, so they count). */
    remove: (actor: Actor, id: string) => removeFolder(actor, id, false),

    /**
     * Removes a folder whose live documents and subfolders are gone (WebDAV deletes a collection
     * this way, after deleting its members): the deleted documents it still holds move up to its
     * parent, where they stay deleted and out of every list. A top-level folder has nowhere to move
     * them, so it goes only when empty, as with `remove`.
     */
    removeEmptied: (actor: Actor, id: string) => removeFolder(actor, id, true),
  };
}
