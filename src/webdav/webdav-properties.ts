import { and, eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Resource } from './webdav-namespace.js';
import {
  DAV,
  davProperty,
  emptyProperty,
  escapeXml,
  httpDate,
  propertyKey,
  type PropertyName,
  type Propstat,
} from './webdav-xml.js';
import { webdavProperties, type WebdavTargetType } from './webdav.tables.js';

type Target = { type: WebdavTargetType; id: string };

/** What a PROPFIND asks for: every property, only their names, or the named ones. */
export type PropertyRequest = { kind: 'allprop' } | { kind: 'propname' } | { kind: 'prop'; names: PropertyName[] };

/** A PROPPATCH instruction, applied in document order. */
export type PropertyChange =
  { action: 'set'; property: PropertyName; valueXml: string } | { action: 'remove'; property: PropertyName };

export const targetOf = (resource: Resource): Target | null => {
  if (resource.kind === 'folder') return { type: 'folder', id: resource.folder.id };
  if (resource.kind === 'document') return { type: 'document', id: resource.document.id };
  return null;
};

/**
 * The entity tag of a content: the first 128 bits of its sha256, so equal bytes give equal tags. Not
 * the whole hash: clients (litmus among them) build If headers of a lock token and two tags in
 * 200-byte buffers.
 */
export const contentTag = (sha256: string) => sha256.slice(0, 32);

export const etagOf = (resource: Resource) =>
  resource.kind === 'document' ? `"${contentTag(resource.document.currentVersion.sha256)}"` : null;

/** Properties the server computes; a client cannot set or remove them. */
function liveProperties(resource: Resource, lockdiscovery: string): Map<string, string> {
  const live = new Map<string, string>();
  const add = (name: string, valueXml: string) =>
    live.set(propertyKey({ namespace: DAV, name }), davProperty(name, valueXml));
  const supportedlock = ['exclusive', 'shared']
    .map(
      (scope) =>
        `<D:lockentry><D:lockscope><D:${scope}/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>`,
    )
    .join('');
  if (resource.kind === 'document') {
    const { document } = resource;
    add('resourcetype', '');
    add('displayname', escapeXml(document.title));
    add('getcontentlength', String(document.currentVersion.size));
    add('getcontenttype', escapeXml(document.currentVersion.mediaType));
    add('getetag', escapeXml(etagOf(resource)!));
    add('getlastmodified', httpDate(document.updatedAt));
    add('creationdate', document.createdAt.toISOString());
  } else {
    add('resourcetype', '<D:collection/>');
    if (resource.kind === 'folder') add('displayname', escapeXml(resource.folder.name));
  }
  add('supportedlock', supportedlock);
  add('lockdiscovery', lockdiscovery);
  return live;
}

export const isLiveProperty = (property: PropertyName) =>
  property.namespace === DAV &&
  [
    'resourcetype',
    'displayname',
    'getcontentlength',
    'getcontenttype',
    'getetag',
    'getlastmodified',
    'creationdate',
    'supportedlock',
    'lockdiscovery',
  ].includes(property.name);

/** Dead properties (what clients set with PROPPATCH), in a table of their own keyed by document or folder. */
export function createWebdavProperties({ db, audit }: { db: Database; audit: Pick<AuditTrail, 'record'> }) {
  async function deadProperties(target: Target | null) {
    if (!target) return new Map<string, string>();
    const rows = await db
      .select()
      .from(webdavProperties)
      .where(and(eq(webdavProperties.targetType, target.type), eq(webdavProperties.targetId, target.id)));
    return new Map(rows.map((row) => [propertyKey(row), row.valueXml]));
  }

  return {
    /** A resource's propstats for a PROPFIND: found properties 200, asked-for missing ones 404. */
    async propstats(resource: Resource, request: PropertyRequest, lockdiscovery: string): Promise<Propstat[]> {
      const live = liveProperties(resource, lockdiscovery);
      const dead = await deadProperties(targetOf(resource));
      const all = new Map([...dead, ...live]);
      if (request.kind === 'allprop') return [{ status: 200, properties: [...all.values()] }];
      if (request.kind === 'propname') {
        const names = [...all.keys()].map((key) => {
          const close = key.indexOf('}');
          return emptyProperty({ namespace: key.slice(1, close), name: key.slice(close + 1) });
        });
        return [{ status: 200, properties: names }];
      }
      const found: string[] = [];
      const missing: string[] = [];
      for (const name of request.names) {
        const value = all.get(propertyKey(name));
        if (value === undefined) missing.push(emptyProperty(name));
        else found.push(value);
      }
      return [
        { status: 200, properties: found },
        { status: 404, properties: missing },
      ];
    },

    /**
     * Applies a PROPPATCH all or nothing: any protected (live) property fails it with 403, and the
     * others then answer 424.
     */
    async patch(actor: Actor, resource: Resource, changes: PropertyChange[]): Promise<Propstat[]> {
      const target = targetOf(resource);
      const refused = changes.filter((change) => isLiveProperty(change.property) || !target);
      if (refused.length || !target)
        return [
          { status: 403, properties: refused.map((change) => emptyProperty(change.property)) },
          {
            status: 424,
            properties: changes
              .filter((change) => !refused.includes(change))
              .map((change) => emptyProperty(change.property)),
          },
        ];
      await db.transaction(async (tx) => {
        for (const change of changes) {
          const where = and(
            eq(webdavProperties.targetType, target.type),
            eq(webdavProperties.targetId, target.id),
            eq(webdavProperties.namespace, change.property.namespace),
            eq(webdavProperties.name, change.property.name),
          );
          if (change.action === 'remove') await tx.delete(webdavProperties).where(where);
          else
            await tx
              .insert(webdavProperties)
              .values({ targetType: target.type, targetId: target.id, ...change.property, valueXml: change.valueXml })
              .onConflictDoUpdate({
                target: [
                  webdavProperties.targetType,
                  webdavProperties.targetId,
                  webdavProperties.namespace,
                  webdavProperties.name,
                ],
                set: { valueXml: change.valueXml },
              });
        }
        await audit.record(tx, actor, {
          action: 'webdav.properties_changed',
          entityType: target.type === 'document' ? 'document' : 'document_folder',
          entityId: target.id,
          summary: {
            set: changes.filter((change) => change.action === 'set').map((change) => propertyKey(change.property)),
            removed: changes
              .filter((change) => change.action === 'remove')
              .map((change) => propertyKey(change.property)),
          },
        });
      });
      return [{ status: 200, properties: changes.map((change) => emptyProperty(change.property)) }];
    },

    /** COPY takes the dead properties along (replacing the destination's); MOVE keeps them, as ids stay. */
    async copy(from: Target, to: Target) {
      await db.transaction(async (tx) => {
        await tx
          .delete(webdavProperties)
          .where(and(eq(webdavProperties.targetType, to.type), eq(webdavProperties.targetId, to.id)));
        const rows = await tx
          .select()
          .from(webdavProperties)
          .where(and(eq(webdavProperties.targetType, from.type), eq(webdavProperties.targetId, from.id)));
        if (rows.length)
          await tx
            .insert(webdavProperties)
            .values(rows.map((row) => ({ ...row, targetType: to.type, targetId: to.id })));
      });
    },

    /** A deleted document or folder takes its dead properties along. */
    async forget(target: Target) {
      await db
        .delete(webdavProperties)
        .where(and(eq(webdavProperties.targetType, target.type), eq(webdavProperties.targetId, target.id)));
    },
  };
}

export type WebdavProperties = ReturnType<typeof createWebdavProperties>;
