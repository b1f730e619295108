import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import { sendContent } from '../documents/document-download.js';
import { actorOf } from '../http/authenticate.js';
import { AppError } from '../shared/errors.js';
import { authenticateWebdav, WEBDAV_REALM } from './webdav-auth.js';
import { DAV_PREFIX, type Container, type Namespace } from './webdav-namespace.js';
import { lockRequestOf, propertyChangesOf, propertyRequestOf, readText } from './webdav-requests.js';
import { contentTag } from './webdav-properties.js';
import type { WebdavService } from './webdav.service.js';
import { davProperty, escapeXml } from './webdav-xml.js';

const DAV_METHODS = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK'] as const;
const ALLOW = ['OPTIONS', 'GET', 'HEAD', 'PUT', 'DELETE', ...DAV_METHODS].join(', ');

/** Failures whose WebDAV status differs from the API's: 412, 405 and 423 have no AppError kind. */
const webdavStatus: Record<string, number> = {
  'webdav.precondition_failed': 412,
  'webdav.destination_exists': 412,
  'webdav.put_on_collection': 405,
  'webdav.exists': 405,
  'webdav.locked': 423,
  'document.locked': 423,
};

const XML = 'application/xml; charset=utf-8';

type Body = Readable | undefined;

function header(request: FastifyRequest, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Depth as sent, or the method's default; PROPFIND answers at most one level. */
function depthOf(request: FastifyRequest, fallback: 'infinity' | '0') {
  const depth = (header(request, 'depth') ?? fallback).toLowerCase();
  if (depth !== '0' && depth !== '1' && depth !== 'infinity')
    throw new AppError('validation_failed', 'webdav.bad_depth', 'Depth is 0, 1 or infinity.', [
      { path: 'headers.depth', message: 'must be 0, 1 or infinity' },
    ]);
  return depth;
}

/** The path of the Destination header (an absolute URL or path), which must be in the share. */
function destinationOf(request: FastifyRequest) {
  const destination = header(request, 'destination');
  if (!destination)
    throw new AppError('validation_failed', 'webdav.no_destination', 'COPY and MOVE need a Destination header.', [
      { path: 'headers.destination', message: 'is required' },
    ]);
  const pathname = new URL(destination, 'http://destination.invalid').pathname;
  if (pathname !== DAV_PREFIX && !pathname.startsWith(`${DAV_PREFIX}/`))
    throw new AppError('forbidden', 'webdav.destination_elsewhere', `The destination must be under ${DAV_PREFIX}/.`);
  return pathname;
}

const pathnameOf = (request: FastifyRequest) => request.url.split('?')[0]!;

function sendMultistatus(reply: FastifyReply, xml: string) {
  return reply.status(207).type(XML).send(xml);
}

/** A folder's members as a plain page, for a browser that GETs a collection. */
async function collectionPage(namespace: Namespace, container: Container) {
  const links = (await namespace.members(container))
    .map((member) => `<li><a href="${escapeXml(member.href)}">${escapeXml(namespace.nameOf(member))}</a></li>`)
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>${escapeXml(container.href)}</title><ul>${links}</ul>`;
}

/**
 * The document repository as a WebDAV class 1 and 2 share under /dav/. Signed in with HTTP Basic
 * (email and API token) by a hook of its own; request bodies stay streams, so a PUT goes to the
 * blob store as it arrives.
 */
export async function webdavRoutes(
  server: FastifyInstance,
  {
    webdav,
    auth,
    bodyLimitBytes,
  }: { webdav: WebdavService; auth: Pick<AuthService, 'authenticateApiToken'>; bodyLimitBytes: number },
) {
  for (const method of DAV_METHODS)
    if (!server.supportedMethods.includes(method)) server.addHttpMethod(method, { hasBody: true });
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  server.addHook('onRequest', async (request) => authenticateWebdav(request, auth));
  server.addHook('onSend', async (_request, reply) => {
    reply.header('dav', '1, 2').header('ms-author-via', 'DAV');
  });
  server.setErrorHandler((error, _request, reply) => {
    if (error instanceof AppError && webdavStatus[error.code])
      return reply
        .status(webdavStatus[error.code]!)
        .send({ error: error.code, message: error.message, details: error.details });
    if (error instanceof AppError && error.kind === 'unauthenticated') reply.header('www-authenticate', WEBDAV_REALM);
    throw error;
  });

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const actor = actorOf(request);
    const body = request.body as Body;
    if (request.method === 'OPTIONS') return reply.header('allow', ALLOW).header('content-length', '0').send();
    const { namespace, resource } = await webdav.resolve(actor, pathnameOf(request));
    const conditions = await webdav.conditions(namespace, resource, header(request, 'if'));

    switch (request.method) {
      case 'GET':
      case 'HEAD': {
        if (resource.kind === 'missing')
          throw new AppError('not_found', 'webdav.not_found', `Nothing at ${resource.href}.`);
        if (resource.kind !== 'document')
          return reply.type('text/html; charset=utf-8').send(await collectionPage(namespace, resource));
        const content = await webdav.content(actor, resource);
        if (request.method === 'HEAD')
          return reply
            .type(content.mediaType)
            .header('etag', `"${contentTag(content.sha256)}"`)
            .header('content-length', String(content.size))
            .header('last-modified', resource.document.updatedAt.toUTCString())
            .send();
        reply.header('last-modified', resource.document.updatedAt.toUTCString());
        return sendContent(request, reply, { ...content, sha256: contentTag(content.sha256) }, false);
      }
      case 'PUT': {
        const stream = body ?? Readable.from([]);
        const { created } = await webdav.put(
          actor,
          namespace,
          resource,
          { stream, mediaType: header(request, 'content-type') },
          conditions,
        );
        return reply.status(created ? 201 : 204).send();
      }
      case 'MKCOL': {
        if (body && (await readText(body, bodyLimitBytes)).length > 0)
          throw new AppError('unsupported_media_type', 'webdav.mkcol_body', 'MKCOL takes no body.');
        await webdav.mkcol(actor, namespace, resource, conditions);
        return reply.status(201).send();
      }
      case 'DELETE':
        await webdav.remove(actor, namespace, resource, conditions);
        return reply.status(204).send();
      case 'COPY':
      case 'MOVE': {
        const destination = (await webdav.resolve(actor, destinationOf(request))).resource;
        const overwrite = (header(request, 'overwrite') ?? 'T').toUpperCase() !== 'F';
        const { created } =
          request.method === 'COPY'
            ? await webdav.copy(
                actor,
                namespace,
                resource,
                destination,
                { overwrite, deep: depthOf(request, 'infinity') !== '0' },
                conditions,
              )
            : await webdav.move(actor, namespace, resource, destination, { overwrite }, conditions);
        return reply.status(created ? 201 : 204).send();
      }
      case 'PROPFIND': {
        const depth = depthOf(request, 'infinity');
        if (depth === 'infinity')
          return reply
            .status(403)
            .type(XML)
            .send(
              '<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>',
            );
        const properties = propertyRequestOf(await readText(body, bodyLimitBytes));
        return sendMultistatus(reply, await webdav.propfind(namespace, resource, depth, properties));
      }
      case 'PROPPATCH': {
        const changes = propertyChangesOf(await readText(body, bodyLimitBytes));
        return sendMultistatus(reply, await webdav.proppatch(actor, namespace, resource, changes, conditions));
      }
      case 'LOCK': {
        const lockRequest = lockRequestOf(await readText(body, bodyLimitBytes));
        const depth = depthOf(request, 'infinity') === '0' ? '0' : 'infinity';
        const lock = await webdav.lock(
          actor,
          namespace,
          resource,
          lockRequest && { ...lockRequest, depth },
          header(request, 'timeout'),
          conditions,
        );
        return reply
          .status(lock.created ? 201 : 200)
          .header('lock-token', `<${lock.token}>`)
          .type(XML)
          .send(
            `<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:">${davProperty('lockdiscovery', lock.xml)}</D:prop>`,
          );
      }
      case 'UNLOCK': {
        const token = /^<(.+)>$/.exec((header(request, 'lock-token') ?? '').trim())?.[1];
        if (!token)
          throw new AppError(
            'validation_failed',
            'webdav.no_lock_token',
            'UNLOCK needs a Lock-Token header: <token>.',
            [{ path: 'headers.lock-token', message: 'is required, as <token>' }],
          );
        await webdav.unlock(actor, namespace, resource, token);
        return reply.status(204).send();
      }
      default:
        return reply.status(405).header('allow', ALLOW).send();
    }
  }

  const route = {
    method: ['OPTIONS', 'GET', 'HEAD', 'PUT', 'DELETE', ...DAV_METHODS],
    schema: { hide: true },
    handler: handle,
  };
  server.route({ ...route, url: DAV_PREFIX });
  server.route({ ...route, url: `${DAV_PREFIX}/*` });
}
