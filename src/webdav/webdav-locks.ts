import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { DocumentVersionsService } from '../documents/document-versions.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { hrefOf, type Namespace, type Resource } from './webdav-namespace.js';
import { davProperty, escapeXml } from './webdav-xml.js';
import { webdavLocks, type WebdavLockScope } from './webdav.tables.js';

export type LockRow = typeof webdavLocks.$inferSelect;

/** The longest a lock lives; an Infinite (or missing) Timeout gets this, so a forgotten lock lapses. */
export const MAX_LOCK_SECONDS = 7 * 24 * 3600;
const MIN_LOCK_SECONDS = 60;

/** The Timeout header's first usable value ("Second-3600", "Infinite"), within our bounds. */
export function lockSeconds(header: string | undefined) {
  for (const value of (header ?? '').split(',').map((part) => part.trim())) {
    if (/^infinite$/i.test(value)) return MAX_LOCK_SECONDS;
    const seconds = /^second-(\d+)$/i.exec(value);
    if (seconds) return Math.min(Math.max(Number(seconds[1]), MIN_LOCK_SECONDS), MAX_LOCK_SECONDS);
  }
  return MAX_LOCK_SECONDS;
}

export const locked = (what: string) =>
  new AppError('conflict', 'webdav.locked', `${what} is locked; send its lock token in the If header.`);

const userIdOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/**
 * WebDAV locks. A lock on a document is its check-out: LOCK checks it out (the timeout becomes the
 * check-out's expiry), UNLOCK checks in what was PUT under it, or cancels when nothing was. A token
 * whose check-out lapsed or was broken no longer counts. A lock on a folder guards its members
 * (depth infinity: everything below) against WebDAV writers without the token.
 */
export function createWebdavLocks({
  db,
  clock,
  versions,
}: {
  db: Database;
  clock: Clock;
  versions: Pick<DocumentVersionsService, 'checkout' | 'checkin' | 'cancelCheckout'>;
}) {
  /** The folder and every folder above it, nearest first. */
  async function folderChain(namespace: Namespace, folderId: string) {
    const byId = new Map((await namespace.folders()).map((folder) => [folder.id, folder]));
    const chain: string[] = [];
    for (let folder = byId.get(folderId); folder; folder = folder.parentId ? byId.get(folder.parentId) : undefined)
      chain.push(folder.id);
    return chain;
  }

  async function live(rows: LockRow[]) {
    const now = clock.now();
    const expired = rows.filter((row) => row.expiresAt <= now).map((row) => row.token);
    if (expired.length) await db.delete(webdavLocks).where(inArray(webdavLocks.token, expired));
    return rows.filter((row) => row.expiresAt > now);
  }

  /**
   * The locks that guard a resource's content (for a folder, also its membership): its own, and
   * depth-infinity locks on the folders above it. A document's own locks count only while the
   * check-out they stand for is held by their owner.
   */
  async function covering(namespace: Namespace, resource: Resource): Promise<LockRow[]> {
    if (resource.kind === 'root' || resource.kind === 'missing') return [];
    const folderId = resource.kind === 'folder' ? resource.folder.id : resource.document.folderId;
    const chain = await folderChain(namespace, folderId);
    const own = resource.kind === 'folder' ? [resource.folder.id] : [];
    const rows = await db
      .select()
      .from(webdavLocks)
      .where(
        or(
          resource.kind === 'document' ? eq(webdavLocks.documentId, resource.document.id) : undefined,
          own.length ? inArray(webdavLocks.folderId, own) : undefined,
          and(inArray(webdavLocks.folderId, chain), eq(webdavLocks.depth, 'infinity')),
        ),
      );
    const holder = resource.kind === 'document' ? (resource.document.lock?.by.id ?? null) : null;
    return (await live(rows)).filter((row) => row.documentId === null || row.userId === holder);
  }

  /** Refuses a write unless the actor sent the token of one of the locks guarding it. */
  function assertMayWrite(actor: Actor, locks: LockRow[], submitted: Set<string>, what: string) {
    if (locks.length === 0) return;
    if (!locks.some((lock) => submitted.has(lock.token) && lock.userId === userIdOf(actor))) throw locked(what);
  }

  async function lockRootHref(namespace: Namespace, lock: LockRow, resource: Resource) {
    if (lock.folderId) return hrefOf(await namespace.pathOf(lock.folderId), true);
    return resource.href;
  }

  /** A lock as lockdiscovery and LOCK answers show it. */
  async function activeLock(namespace: Namespace, lock: LockRow, resource: Resource) {
    const remaining = Math.max(0, Math.round((lock.expiresAt.getTime() - clock.now().getTime()) / 1000));
    return (
      '<D:activelock>' +
      davProperty('locktype', '<D:write/>') +
      davProperty('lockscope', `<D:${lock.scope}/>`) +
      davProperty('depth', lock.depth) +
      lock.ownerXml +
      davProperty('timeout', `Second-${remaining}`) +
      davProperty('locktoken', `<D:href>${escapeXml(lock.token)}</D:href>`) +
      davProperty('lockroot', `<D:href>${escapeXml(await lockRootHref(namespace, lock, resource))}</D:href>`) +
      '</D:activelock>'
    );
  }

  async function checkout(actor: Actor, documentId: string, seconds: number) {
    await versions.checkout(actor, documentId, { expiresInMinutes: Math.ceil(seconds / 60) });
  }

  return {
    covering,
    assertMayWrite,
    activeLock,

    async lockdiscovery(namespace: Namespace, resource: Resource) {
      const locks = await covering(namespace, resource);
      return (await Promise.all(locks.map((lock) => activeLock(namespace, lock, resource)))).join('');
    },

    /** A new lock on an existing document or folder; refused (423) when it conflicts with one there. */
    async lock(
      actor: Actor,
      namespace: Namespace,
      resource: Extract<Resource, { kind: 'document' | 'folder' }>,
      request: { scope: WebdavLockScope; depth: '0' | 'infinity'; ownerXml: string; seconds: number },
    ) {
      const userId = userIdOf(actor);
      if (!userId) throw new AppError('forbidden', 'webdav.lock_needs_user', 'Only a signed-in user can lock.');
      const existing = await covering(namespace, resource);
      let below: LockRow[] = [];
      if (resource.kind === 'folder' && request.depth === 'infinity') {
        const descendants = (await namespace.folders()).filter((folder) => folder.id !== resource.folder.id);
        const inside: string[] = [];
        for (const folder of descendants)
          if ((await folderChain(namespace, folder.id)).includes(resource.folder.id)) inside.push(folder.id);
        if (inside.length)
          below = await live(await db.select().from(webdavLocks).where(inArray(webdavLocks.folderId, inside)));
      }
      const conflicts = [...existing, ...below].filter(
        (lock) => request.scope === 'exclusive' || lock.scope === 'exclusive' || lock.userId !== userId,
      );
      if (conflicts.length)
        throw locked(resource.kind === 'folder' ? `The folder ${resource.folder.name}` : resource.name);
      if (resource.kind === 'document') await checkout(actor, resource.document.id, request.seconds);
      const now = clock.now();
      const [row] = await db
        .insert(webdavLocks)
        .values({
          token: `urn:uuid:${randomUUID()}`,
          documentId: resource.kind === 'document' ? resource.document.id : null,
          folderId: resource.kind === 'folder' ? resource.folder.id : null,
          userId,
          scope: request.scope,
          depth: resource.kind === 'document' ? '0' : request.depth,
          ownerXml: request.ownerXml,
          timeoutSeconds: request.seconds,
          expiresAt: new Date(now.getTime() + request.seconds * 1000),
          createdAt: now,
        })
        .returning();
      return row!;
    },

    /** LOCK without a body: extends the submitted lock guarding the resource (its check-out too). */
    async refresh(actor: Actor, namespace: Namespace, resource: Resource, submitted: Set<string>, seconds: number) {
      const lock = (await covering(namespace, resource)).find(
        (candidate) => submitted.has(candidate.token) && candidate.userId === userIdOf(actor),
      );
      if (!lock)
        throw new AppError('validation_failed', 'webdav.no_lock_to_refresh', 'No lock of yours guards this resource.', [
          { path: 'headers.if', message: 'names no lock of yours on this resource' },
        ]);
      if (lock.documentId) await checkout(actor, lock.documentId, seconds);
      const [row] = await db
        .update(webdavLocks)
        .set({ timeoutSeconds: seconds, expiresAt: new Date(clock.now().getTime() + seconds * 1000) })
        .where(eq(webdavLocks.token, lock.token))
        .returning();
      return row!;
    },

    /** UNLOCK: the last token of a document checks in what was PUT under the locks, or cancels the check-out. */
    async unlock(actor: Actor, namespace: Namespace, resource: Resource, token: string) {
      const lock = (await covering(namespace, resource)).find((candidate) => candidate.token === token);
      if (!lock)
        throw new AppError('conflict', 'webdav.lock_token_mismatch', 'The Lock-Token names no lock on this resource.', [
          { path: 'headers.lock-token', message: 'names no lock on this resource' },
        ]);
      if (lock.userId !== userIdOf(actor))
        throw new AppError('forbidden', 'webdav.not_lock_owner', 'Only whoever took a lock can remove it.');
      await db.delete(webdavLocks).where(eq(webdavLocks.token, token));
      if (!lock.documentId) return;
      const others = await db.select().from(webdavLocks).where(eq(webdavLocks.documentId, lock.documentId));
      if ((await live(others)).length > 0) return;
      if (lock.changed) await versions.checkin(actor, lock.documentId, { comment: 'Checked in over WebDAV' }, null);
      else await versions.cancelCheckout(actor, lock.documentId);
    },

    /** Something was PUT under the document's locks: their UNLOCK checks it in. */
    async markChanged(documentId: string) {
      await db.update(webdavLocks).set({ changed: true }).where(eq(webdavLocks.documentId, documentId));
    },

    /** A deleted document or folder takes its locks along. */
    async forget(target: { documentId?: string; folderId?: string }) {
      if (target.documentId) await db.delete(webdavLocks).where(eq(webdavLocks.documentId, target.documentId));
      if (target.folderId) await db.delete(webdavLocks).where(eq(webdavLocks.folderId, target.folderId));
    },
  };
}

export type WebdavLocks = ReturnType<typeof createWebdavLocks>;
