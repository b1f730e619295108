import { Readable } from 'node:stream';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { DocumentVersionsService } from '../documents/document-versions.service.js';
import type { DocumentsService } from '../documents/documents.service.js';
import type { DocumentFoldersService } from '../documents/folders.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { evaluateConditions, type Conditions } from './webdav-conditions.js';
import { createWebdavLocks, lockSeconds } from './webdav-locks.js';
import { mediaTypeFor } from './webdav-media-types.js';
import {
  createNamespace,
  DAV_PREFIX,
  hrefOf,
  memberId,
  segmentsOf,
  type Container,
  type Member,
  type Namespace,
  type Resource,
} from './webdav-namespace.js';
import { createWebdavProperties, type PropertyChange, type PropertyRequest } from './webdav-properties.js';
import { multistatus, response } from './webdav-xml.js';
import type { WebdavLockScope } from './webdav.tables.js';
import { assertDocumentAccess, assertFolderAccess } from '../documents/access/document-permissions.js';

export type WebdavService = ReturnType<typeof createWebdavService>;

const forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
const conflict = (code: string, message: string) => new AppError('conflict', code, message);

/** A name the repository can hold as a folder name (200) or a document title (300): trimmed, not empty. */
function assertName(name: string, max: number) {
  if (name.trim() !== name || name.length === 0 || name.length > max)
    throw forbidden(
      'webdav.bad_name',
      `"${name}" cannot be a name here: 1 to ${max} characters, no leading or trailing spaces.`,
    );
}

/**
 * The repository as a WebDAV share. Every change goes through the folders, documents and versions
 * services, so their rules (permissions, check-out locks, records, holds) apply as they do to the
 * API; WebDAV adds its lock tokens, If header conditions and dead properties on top.
 */
export function createWebdavService({
  db,
  audit,
  clock,
  folders,
  documents,
  versions,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  folders: Pick<DocumentFoldersService, 'list' | 'create' | 'update' | 'removeEmptied'>;
  documents: Pick<DocumentsService, 'list' | 'upload' | 'update' | 'remove'>;
  versions: Pick<DocumentVersionsService, 'add' | 'content' | 'checkout' | 'checkin' | 'cancelCheckout'>;
}) {
  const locks = createWebdavLocks({ db, clock, versions });
  const properties = createWebdavProperties({ db, audit });

  const parentOf = async (namespace: Namespace, resource: Member): Promise<Container> => {
    const parentId = resource.kind === 'folder' ? resource.folder.parentId : resource.document.folderId;
    if (!parentId) return { kind: 'root', href: `${DAV_PREFIX}/` };
    const folder = (await namespace.folders()).find((candidate) => candidate.id === parentId)!;
    return { kind: 'folder', folder, href: hrefOf(await namespace.pathOf(parentId), true) };
  };

  /** The actor must hold a submitted token for every lock guarding the resource. */
  async function assertWritable(actor: Actor, namespace: Namespace, resource: Resource, conditions: Conditions) {
    const what = resource.kind === 'folder' ? `The folder ${resource.folder.name}` : resource.href;
    locks.assertMayWrite(actor, await locks.covering(namespace, resource), conditions.submitted, what);
  }

  /** Adding or taking away a member changes its container, whose locks guard that too. */
  async function assertMembershipWritable(
    actor: Actor,
    namespace: Namespace,
    container: Container,
    conditions: Conditions,
  ) {
    await assertWritable(actor, namespace, container, conditions);
  }

  async function removeMember(actor: Actor, namespace: Namespace, resource: Member, conditions: Conditions) {
    await assertWritable(actor, namespace, resource, conditions);
    if (resource.kind === 'document') {
      await documents.remove(actor, resource.document.id);
      await locks.forget({ documentId: resource.document.id });
      await properties.forget({ type: 'document', id: resource.document.id });
      return;
    }
    for (const member of await namespace.members(resource)) await removeMember(actor, namespace, member, conditions);
    await folders.removeEmptied(actor, resource.folder.id);
    await properties.forget({ type: 'folder', id: resource.folder.id });
  }

  /** Where a COPY or MOVE lands: an existing member is replaced only with Overwrite: T. */
  async function prepareDestination(
    actor: Actor,
    namespace: Namespace,
    source: Member,
    destination: Resource,
    overwrite: boolean,
    conditions: Conditions,
  ): Promise<{ parent: Container; name: string; replaced: boolean }> {
    if (destination.kind === 'root') throw forbidden('webdav.root', 'The share itself cannot be replaced.');
    if (
      destination.href === source.href ||
      (destination.kind !== 'missing' && memberId(source) === memberId(destination))
    )
      throw forbidden('webdav.same_resource', 'The source and the destination are the same.');
    if (source.kind === 'folder' && destination.href.startsWith(source.href))
      throw forbidden('webdav.into_itself', 'A folder cannot be copied or moved into itself.');
    if (destination.kind === 'missing') {
      if (!destination.parent) throw conflict('webdav.no_parent', 'The destination folder does not exist.');
      await assertMembershipWritable(actor, namespace, destination.parent, conditions);
      return { parent: destination.parent, name: destination.name, replaced: false };
    }
    if (!overwrite)
      throw new AppError('conflict', 'webdav.destination_exists', 'The destination exists and Overwrite is F.');
    const parent = await parentOf(namespace, destination);
    await assertMembershipWritable(actor, namespace, parent, conditions);
    const name = namespace.nameOf(destination);
    await removeMember(actor, namespace, destination, conditions);
    return { parent, name, replaced: true };
  }

  async function copyMember(
    actor: Actor,
    namespace: Namespace,
    source: Member,
    parent: Container,
    name: string,
    deep: boolean,
  ) {
    if (source.kind === 'document') {
      if (parent.kind !== 'folder')
        throw forbidden('webdav.root_holds_folders', 'Documents live in folders, not at the top of the share.');
      assertName(name, 300);
      const content = await versions.content(actor, source.document.id, undefined);
      const copied = await documents.upload(
        actor,
        { folderId: parent.folder.id, title: name },
        { stream: content.open(), filename: name, mediaType: content.mediaType },
      );
      await properties.copy({ type: 'document', id: source.document.id }, { type: 'document', id: copied.id });
      return;
    }
    assertName(name, 200);
    const created = await folders.create(actor, { name, parentId: parent.kind === 'folder' ? parent.folder.id : null });
    await properties.copy({ type: 'folder', id: source.folder.id }, { type: 'folder', id: created.id });
    if (!deep) return;
    const into: Container = { kind: 'folder', folder: created, href: `${parent.href}${encodeURIComponent(name)}/` };
    for (const member of await namespace.members(source))
      await copyMember(actor, namespace, member, into, namespace.nameOf(member), true);
  }

  /** PUT: new content of a document is its next version; a new name in a folder a new document. */
  async function put(
    actor: Actor,
    namespace: Namespace,
    resource: Resource,
    body: { stream: Readable; mediaType: string | undefined },
    conditions: Conditions,
  ): Promise<{ created: boolean }> {
    if (resource.kind === 'root' || resource.kind === 'folder')
      throw new AppError('conflict', 'webdav.put_on_collection', 'A folder has no content to PUT.');
    if (resource.kind === 'document') {
      await assertWritable(actor, namespace, resource, conditions);
      const file = {
        stream: body.stream,
        filename: resource.name,
        mediaType: mediaTypeFor(resource.name, body.mediaType),
      };
      await versions.add(actor, resource.document.id, { comment: 'Saved over WebDAV' }, file);
      if (resource.document.lock) await locks.markChanged(resource.document.id);
      return { created: false };
    }
    if (!resource.parent) throw conflict('webdav.no_parent', 'The folder to PUT into does not exist.');
    if (resource.parent.kind !== 'folder')
      throw forbidden('webdav.root_holds_folders', 'Documents live in folders, not at the top of the share.');
    assertName(resource.name, 300);
    await assertMembershipWritable(actor, namespace, resource.parent, conditions);
    const file = {
      stream: body.stream,
      filename: resource.name,
      mediaType: mediaTypeFor(resource.name, body.mediaType),
    };
    await documents.upload(actor, { folderId: resource.parent.folder.id, title: resource.name }, file);
    return { created: true };
  }

  return {
    /** The resource a request path names, for an actor who may read the repository. */
    async resolve(actor: Actor, pathname: string) {
      authorize(actor, 'documents.read');
      const namespace = createNamespace(actor, { folders, documents });
      return { namespace, resource: await namespace.resolve(segmentsOf(pathname)) };
    },

    /** The If header's verdict (412 when no list holds) and the lock tokens it submits. */
    conditions: (namespace: Namespace, resource: Resource, ifHeader: string | undefined) =>
      evaluateConditions(locks, namespace, resource, ifHeader),

    /** The current version's content of a document. */
    async content(actor: Actor, resource: Extract<Resource, { kind: 'document' }>) {
      return versions.content(actor, resource.document.id, undefined);
    },

    put,

    /** MKCOL: a new folder where nothing is. */
    async mkcol(actor: Actor, namespace: Namespace, resource: Resource, conditions: Conditions) {
      if (resource.kind !== 'missing')
        throw new AppError('conflict', 'webdav.exists', 'Something already has this name.');
      if (!resource.parent) throw conflict('webdav.no_parent', 'The folder to make it in does not exist.');
      assertName(resource.name, 200);
      await assertMembershipWritable(actor, namespace, resource.parent, conditions);
      await folders.create(actor, {
        name: resource.name,
        parentId: resource.parent.kind === 'folder' ? resource.parent.folder.id : null,
      });
    },

    /** DELETE: a document through the documents service's rules; a folder with everything in it. */
    async remove(actor: Actor, namespace: Namespace, resource: Resource, conditions: Conditions) {
      if (resource.kind === 'missing')
        throw new AppError('not_found', 'webdav.not_found', `Nothing at ${resource.href}.`);
      if (resource.kind === 'root') throw forbidden('webdav.root', 'The share itself cannot be deleted.');
      await assertMembershipWritable(actor, namespace, await parentOf(namespace, resource), conditions);
      await removeMember(actor, namespace, resource, conditions);
    },

    async copy(
      actor: Actor,
      namespace: Namespace,
      source: Resource,
      destination: Resource,
      options: { overwrite: boolean; deep: boolean },
      conditions: Conditions,
    ) {
      if (source.kind === 'missing') throw new AppError('not_found', 'webdav.not_found', `Nothing at ${source.href}.`);
      if (source.kind === 'root') throw forbidden('webdav.root', 'The share itself cannot be copied.');
      const target = await prepareDestination(actor, namespace, source, destination, options.overwrite, conditions);
      await copyMember(actor, namespace, source, target.parent, target.name, options.deep);
      return { created: !target.replaced };
    },

    /** MOVE renames or refiles the same document or folder: its id, versions and history stay. */
    async move(
      actor: Actor,
      namespace: Namespace,
      source: Resource,
      destination: Resource,
      options: { overwrite: boolean },
      conditions: Conditions,
    ) {
      if (source.kind === 'missing') throw new AppError('not_found', 'webdav.not_found', `Nothing at ${source.href}.`);
      if (source.kind === 'root') throw forbidden('webdav.root', 'The share itself cannot be moved.');
      await assertWritable(actor, namespace, source, conditions);
      await assertMembershipWritable(actor, namespace, await parentOf(namespace, source), conditions);
      const target = await prepareDestination(actor, namespace, source, destination, options.overwrite, conditions);
      if (source.kind === 'document') {
        if (target.parent.kind !== 'folder')
          throw forbidden('webdav.root_holds_folders', 'Documents live in folders, not at the top of the share.');
        assertName(target.name, 300);
        await documents.update(actor, source.document.id, { title: target.name, folderId: target.parent.folder.id });
      } else {
        assertName(target.name, 200);
        await folders.update(actor, source.folder.id, {
          name: target.name,
          parentId: target.parent.kind === 'folder' ? target.parent.folder.id : null,
        });
      }
      return { created: !target.replaced };
    },

    /** PROPFIND at depth 0 or 1, as a multistatus. */
    async propfind(namespace: Namespace, resource: Resource, depth: '0' | '1', request: PropertyRequest) {
      if (resource.kind === 'missing')
        throw new AppError('not_found', 'webdav.not_found', `Nothing at ${resource.href}.`);
      const answer = async (target: Resource) =>
        response(
          target.href,
          await properties.propstats(target, request, await locks.lockdiscovery(namespace, target)),
        );
      const responses = [await answer(resource)];
      if (depth === '1' && resource.kind !== 'document')
        for (const member of await namespace.members(resource)) responses.push(await answer(member));
      return multistatus(responses);
    },

    async proppatch(
      actor: Actor,
      namespace: Namespace,
      resource: Resource,
      changes: PropertyChange[],
      conditions: Conditions,
    ) {
      if (resource.kind === 'missing')
        throw new AppError('not_found', 'webdav.not_found', `Nothing at ${resource.href}.`);
      authorize(actor, 'documents.write');
      if (resource.kind === 'document') await assertDocumentAccess(db, actor, resource.document.id, 'write');
      if (resource.kind === 'folder') await assertFolderAccess(db, actor, resource.folder.id, 'write');
      await assertWritable(actor, namespace, resource, conditions);
      return multistatus([response(resource.href, await properties.patch(actor, resource, changes))]);
    },

    /**
     * LOCK: a new lock (on a name nothing has yet, an empty document is made first), or, without
     * a body, a refresh of the submitted one. Answers the lock as lockdiscovery shows it.
     */
    async lock(
      actor: Actor,
      namespace: Namespace,
      resource: Resource,
      request: { scope: WebdavLockScope; depth: '0' | 'infinity'; ownerXml: string } | null,
      timeout: string | undefined,
      conditions: Conditions,
    ) {
      authorize(actor, 'documents.write');
      const seconds = lockSeconds(timeout);
      if (!request) {
        const refreshed = await locks.refresh(actor, namespace, resource, conditions.submitted, seconds);
        return { created: false, token: refreshed.token, xml: await locks.activeLock(namespace, refreshed, resource) };
      }
      if (resource.kind === 'root') throw forbidden('webdav.root', 'The share itself cannot be locked.');
      let target: Resource = resource;
      let created = false;
      if (resource.kind === 'missing') {
        await put(actor, namespace, resource, { stream: Readable.from([]), mediaType: undefined }, conditions);
        target = await createNamespace(actor, { folders, documents }).resolve(segmentsOf(resource.href));
        created = true;
      }
      if (target.kind !== 'document' && target.kind !== 'folder')
        throw new AppError('not_found', 'webdav.not_found', 'Nothing to lock.');
      const lock = await locks.lock(actor, namespace, target, { ...request, seconds });
      return { created, token: lock.token, xml: await locks.activeLock(namespace, lock, target) };
    },

    async unlock(actor: Actor, namespace: Namespace, resource: Resource, token: string) {
      authorize(actor, 'documents.write');
      await locks.unlock(actor, namespace, resource, token);
    },
  };
}
