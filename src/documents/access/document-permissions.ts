import { eq, isNotNull, sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import { AppError, notFound } from '../../shared/errors.js';
import { teamMembers } from '../../users/users.tables.js';
import { documentFolders, documentGrants, documents, type AccessLevel } from '../documents.tables.js';
import { atLeast, isAdministrator, resolveAccess, type AccessSubjects, type Grant } from './access-levels.js';

/** A stored grant, as the chain of a folder or document carries it. */
export type GrantRow = Grant & { id: string };

/** One step of a grant chain: the document itself or a folder on its way to the root. */
export type ChainStep = { kind: 'document' | 'folder'; id: string; name: string; grants: GrantRow[] };

/** The user's id, teams and roles, as grants name them; Tidings itself has none. */
export async function actorSubjects(executor: Executor, actor: Actor): Promise<AccessSubjects | null> {
  if (actor.kind !== 'user') return null;
  const teams = await executor
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, actor.userId));
  return { userId: actor.userId, teamIds: teams.map((team) => team.teamId), roles: actor.roles };
}

/** The folder and every folder above it, nearest first, each with its grants. */
export async function folderChain(executor: Executor, folderId: string): Promise<ChainStep[]> {
  const found = await rows<{ id: string; name: string; grantId: string | null } & Partial<Grant>>(
    executor,
    sql`
    with recursive up(id, name, parent_id, depth) as (
      select id, name, parent_id, 0 from ${documentFolders} where id = ${folderId}
      union all
      select f.id, f.name, f.parent_id, up.depth + 1 from ${documentFolders} f join up on f.id = up.parent_id
    )
    select up.id, up.name, up.depth, g.id as "grantId", g.subject_type as "subjectType",
      g.subject_id as "subjectId", g.level
    from up left join ${documentGrants} g on g.folder_id = up.id
    order by up.depth, g.subject_type, g.subject_id`,
  );
  const steps = new Map<string, ChainStep>();
  for (const row of found) {
    const step = steps.get(row.id) ?? { kind: 'folder' as const, id: row.id, name: row.name, grants: [] };
    steps.set(row.id, step);
    if (row.grantId)
      step.grants.push({
        id: row.grantId,
        subjectType: row.subjectType!,
        subjectId: row.subjectId!,
        level: row.level!,
      });
  }
  return [...steps.values()];
}

/** The document's own grants, then its folders' up to the root; null when there is no such document. */
export async function documentChain(executor: Executor, documentId: string): Promise<ChainStep[] | null> {
  const [document] = await executor
    .select({ id: documents.id, title: documents.title, folderId: documents.folderId })
    .from(documents)
    .where(eq(documents.id, documentId));
  if (!document) return null;
  const own = await executor
    .select({
      id: documentGrants.id,
      subjectType: documentGrants.subjectType,
      subjectId: documentGrants.subjectId,
      level: documentGrants.level,
    })
    .from(documentGrants)
    .where(eq(documentGrants.documentId, documentId))
    .orderBy(documentGrants.subjectType, documentGrants.subjectId);
  return [
    { kind: 'document', id: document.id, name: document.title, grants: own },
    ...(await folderChain(executor, document.folderId)),
  ];
}

const grantsOf = (chain: ChainStep[]) => chain.map((step) => step.grants);

/** What the actor may do with the document; a document that does not exist is left to its loader's 404. */
export async function documentLevel(executor: Executor, actor: Actor, documentId: string): Promise<AccessLevel> {
  if (isAdministrator(actor)) return 'manage';
  const chain = await documentChain(executor, documentId);
  return resolveAccess(actor, await actorSubjects(executor, actor), chain ? grantsOf(chain) : []);
}

export async function folderLevel(executor: Executor, actor: Actor, folderId: string): Promise<AccessLevel> {
  if (isAdministrator(actor)) return 'manage';
  const chain = await folderChain(executor, folderId);
  return resolveAccess(actor, await actorSubjects(executor, actor), grantsOf(chain));
}

const refused = (what: string, wanted: AccessLevel) =>
  new AppError(
    'forbidden',
    'document.access_denied',
    `You may not ${wanted === 'manage' ? 'manage' : 'change'} this ${what}.`,
  );

/**
 * Refuses an actor below `wanted` on the document: one who may not even read it learns nothing of
 * it (404, as for a document that does not exist); one who may read it is told no (403).
 */
export async function assertDocumentAccess(executor: Executor, actor: Actor, documentId: string, wanted: AccessLevel) {
  const level = await documentLevel(executor, actor, documentId);
  if (!atLeast(level, 'read')) throw notFound('document', documentId);
  if (!atLeast(level, wanted)) throw refused('document', wanted);
}

export async function assertFolderAccess(executor: Executor, actor: Actor, folderId: string, wanted: AccessLevel) {
  const level = await folderLevel(executor, actor, folderId);
  if (!atLeast(level, 'read')) throw new AppError('not_found', 'folder.not_found', `No folder with id ${folderId}.`);
  if (!atLeast(level, wanted)) throw refused('folder', wanted);
}

/**
 * The folders of a tree the actor may see: those they may read, those holding a document they may
 * read, and the folders above either, so the tree still hangs together.
 */
export async function visibleFolders<F extends { id: string; parentId: string | null; documentCount: number }>(
  executor: Executor,
  actor: Actor,
  folders: F[],
): Promise<F[]> {
  if (isAdministrator(actor)) return folders;
  const grants = await executor
    .select({
      folderId: documentGrants.folderId,
      subjectType: documentGrants.subjectType,
      subjectId: documentGrants.subjectId,
      level: documentGrants.level,
    })
    .from(documentGrants)
    .where(isNotNull(documentGrants.folderId));
  if (grants.length === 0) return folders;
  const subjects = await actorSubjects(executor, actor);
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const grantsOn = new Map<string, Grant[]>();
  for (const grant of grants) grantsOn.set(grant.folderId!, [...(grantsOn.get(grant.folderId!) ?? []), grant]);
  const chainOf = (folder: F) => {
    const chain: Grant[][] = [];
    for (let at: F | undefined = folder; at; at = at.parentId ? byId.get(at.parentId) : undefined)
      chain.push(grantsOn.get(at.id) ?? []);
    return chain;
  };
  const shown = new Set<string>();
  for (const folder of folders)
    if (folder.documentCount > 0 || atLeast(resolveAccess(actor, subjects, chainOf(folder)), 'read'))
      for (
        let at: F | undefined = folder;
        at && !shown.has(at.id);
        at = at.parentId ? byId.get(at.parentId) : undefined
      )
        shown.add(at.id);
  return folders.filter((folder) => shown.has(folder.id));
}
