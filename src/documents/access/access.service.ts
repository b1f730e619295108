import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AuditTrail } from '../../audit/audit.service.js';
import { authorize } from '../../auth/policy.js';
import { roles } from '../../auth/roles.js';
import type { Database, Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { teams, users } from '../../users/users.tables.js';
import { documentGrants } from '../documents.tables.js';
import { atLeast, effectiveGrants, resolveAccess, type Grant } from './access-levels.js';
import type { SetPermissionsInput } from './access.schemas.js';
import { actorSubjects, documentChain, folderChain, type ChainStep } from './document-permissions.js';
import type { GrantPresence } from './grant-presence.js';

export type DocumentAccessService = ReturnType<typeof createDocumentAccessService>;

type Target = { kind: 'folder' | 'document'; id: string };

const key = (grant: Grant) => `${grant.subjectType}:${grant.subjectId}`;

/** Who may see and change a folder's or a document's permissions, and what they are. */
export function createDocumentAccessService({
  db,
  audit,
  clock,
  grants,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  grants: Pick<GrantPresence, 'changed'>;
}) {
  async function chainOf(executor: Executor, target: Target): Promise<ChainStep[]> {
    const chain =
      target.kind === 'folder' ? await folderChain(executor, target.id) : await documentChain(executor, target.id);
    if (!chain?.length)
      throw new AppError('not_found', `${target.kind}.not_found`, `No ${target.kind} with id ${target.id}.`);
    return chain;
  }

  /** The chain, refused as not found below read and as forbidden below `wanted`. */
  async function guarded(executor: Executor, actor: Actor, target: Target, wanted: 'read' | 'manage') {
    const chain = await chainOf(executor, target);
    const level = resolveAccess(
      actor,
      await actorSubjects(executor, actor),
      chain.map((step) => step.grants),
    );
    if (!atLeast(level, 'read'))
      throw new AppError('not_found', `${target.kind}.not_found`, `No ${target.kind} with id ${target.id}.`);
    if (!atLeast(level, wanted))
      throw new AppError(
        'forbidden',
        'document.access_denied',
        `You may not manage this ${target.kind}'s permissions.`,
      );
    return { chain, level };
  }

  async function subjectNames(executor: Executor, grants: Grant[]) {
    const ids = (type: Grant['subjectType']) =>
      grants.flatMap((grant) => (grant.subjectType === type ? [grant.subjectId] : []));
    const names = new Map<string, string>();
    const userIds = ids('user');
    const teamIds = ids('team');
    if (userIds.length)
      for (const row of await executor
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, userIds)))
        names.set(`user:${row.id}`, row.name);
    if (teamIds.length)
      for (const row of await executor
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(inArray(teams.id, teamIds)))
        names.set(`team:${row.id}`, row.name);
    return (grant: Grant) =>
      names.get(key(grant)) ?? (grant.subjectType === 'role' ? grant.subjectId : 'a former subject');
  }

  async function candidates(executor: Executor) {
    return {
      users: await executor
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(eq(users.active, true))
        .orderBy(asc(users.name)),
      teams: await executor.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)),
      roles: [...roles],
    };
  }

  async function present(executor: Executor, chain: ChainStep[], level: Grant['level']) {
    const [here, ...above] = chain;
    const own = here!.grants;
    const ownKeys = new Set(own.map(key));
    const inherited = effectiveGrants(
      above.map((step) =>
        step.grants.map((grant) => ({ ...grant, from: { kind: step.kind, id: step.id, name: step.name } })),
      ),
    ).map(({ grant }) => grant);
    const nameOf = await subjectNames(executor, [...own, ...inherited]);
    const shown = (grant: Grant) => ({
      subjectType: grant.subjectType,
      subjectId: grant.subjectId,
      subjectName: nameOf(grant),
      level: grant.level,
    });
    return {
      level,
      governed: own.length > 0 || inherited.length > 0,
      grants: own.map(shown),
      inherited: inherited.map((grant) => ({ ...shown(grant), from: grant.from, overridden: ownKeys.has(key(grant)) })),
      candidates: level === 'manage' ? await candidates(executor) : null,
    };
  }

  /** Refuses a grant naming a user or team that does not exist. */
  async function assertSubjectsExist(executor: Executor, input: SetPermissionsInput) {
    for (const [index, grant] of input.grants.entries()) {
      if (grant.subjectType === 'role') continue;
      const table = grant.subjectType === 'user' ? users : teams;
      const [found] = await executor.select({ id: table.id }).from(table).where(eq(table.id, grant.subjectId));
      if (!found)
        throw new AppError(
          'validation_failed',
          'document.grant_subject_unknown',
          `No ${grant.subjectType} with id ${grant.subjectId}.`,
          [{ path: `body.grants.${index}.subjectId`, message: `names no ${grant.subjectType}` }],
        );
    }
  }

  async function get(actor: Actor, target: Target) {
    authorize(actor, 'documents.read');
    const { chain, level } = await guarded(db, actor, target, 'read');
    return present(db, chain, level);
  }

  async function set(actor: Actor, target: Target, input: SetPermissionsInput) {
    authorize(actor, 'documents.manage');
    return db.transaction(async (tx) => {
      const { chain } = await guarded(tx, actor, target, 'manage');
      await assertSubjectsExist(tx, input);
      const before = chain[0]!.grants;
      const column = target.kind === 'folder' ? documentGrants.folderId : documentGrants.documentId;
      await tx.delete(documentGrants).where(and(eq(column, target.id)));
      await grants.changed(tx);
      if (input.grants.length)
        await tx.insert(documentGrants).values(
          input.grants.map((grant) => ({
            ...grant,
            folderId: target.kind === 'folder' ? target.id : null,
            documentId: target.kind === 'document' ? target.id : null,
            createdAt: clock.now(),
          })),
        );
      const plain = (grant: Grant) => ({
        subjectType: grant.subjectType,
        subjectId: grant.subjectId,
        level: grant.level,
      });
      const wanted = new Map(input.grants.map((grant) => [key(grant), grant]));
      const had = new Map(before.map((grant) => [key(grant), grant]));
      await audit.record(tx, actor, {
        action: target.kind === 'folder' ? 'document_folder.permissions_changed' : 'document.permissions_changed',
        entityType: target.kind === 'folder' ? 'document_folder' : 'document',
        entityId: target.id,
        summary: {
          added: input.grants.filter((grant) => had.get(key(grant))?.level !== grant.level).map(plain),
          removed: before.filter((grant) => !wanted.has(key(grant))).map(plain),
        },
      });
      const after = await chainOf(tx, target);
      return present(
        tx,
        after,
        resolveAccess(
          actor,
          await actorSubjects(tx, actor),
          after.map((step) => step.grants),
        ),
      );
    });
  }

  return {
    folderPermissions: (actor: Actor, id: string) => get(actor, { kind: 'folder', id }),
    documentPermissions: (actor: Actor, id: string) => get(actor, { kind: 'document', id }),
    setFolderPermissions: (actor: Actor, id: string, input: SetPermissionsInput) =>
      set(actor, { kind: 'folder', id }, input),
    setDocumentPermissions: (actor: Actor, id: string, input: SetPermissionsInput) =>
      set(actor, { kind: 'document', id }, input),
  };
}
