import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { docsScriptNonce } from './security-headers.js';

export const docsPrefix = '/api/docs';

/** Scalar's page and bundle, in a Fastify instance of their own built on the first visit. */
async function loadReference(): Promise<FastifyInstance> {
  const { default: scalarApiReference } = await import('@scalar/fastify-api-reference');
  const reference = Fastify({ logger: false });
  await reference.register(scalarApiReference, {
    routePrefix: docsPrefix,
    configuration: {
      url: '/api/openapi.json',
      title: 'Tidings API reference',
      hideClientButton: true,
      nonce: docsScriptNonce,
      // Scalar's fonts come from its CDN; the page uses the system's instead.
      withDefaultFonts: false,
    },
  });
  await reference.ready();
  return reference;
}

/** Headers of Scalar's answers that say what the body is or where to go; security headers are this server's own. */
const forwardedHeaders = ['content-type', 'content-disposition', 'location'];

/**
 * The API reference page (Scalar) at /api/docs. Its plugin holds the page's 4 MB browser bundle as a
 * string, about 20 MB of heap for a page few people open, so it is loaded on the first visit, not at
 * start: a plugin cannot add routes to a server that is already listening, so it gets a Fastify
 * instance of its own, and requests under /api/docs are passed to it.
 */
export const apiReferenceRoutes: FastifyPluginAsyncZod = async (app) => {
  let reference: Promise<FastifyInstance> | undefined;

  async function forward(request: FastifyRequest, reply: FastifyReply) {
    reference ??= loadReference().catch((error: unknown) => {
      reference = undefined;
      throw error;
    });
    const answer = await (await reference).inject({ method: 'GET', url: request.url });
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const name of forwardedHeaders) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.status(answer.statusCode).send(answer.rawPayload);
  }

  const options = { config: { public: true }, schema: { hide: true } } as const;
  app.get(docsPrefix, options, forward);
  app.get(`${docsPrefix}/*`, options, forward);
};
