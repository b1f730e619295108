import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { candidatesQuery, candidatesResponse, exportBody, exportResponse } from './ediscovery.schemas.js';
import type { EdiscoveryService } from './ediscovery.service.js';

export const ediscoveryRoutes: FastifyPluginAsyncZod<{ ediscovery: EdiscoveryService }> = async (
  app,
  { ediscovery },
) => {
  const tags = ['E-discovery'];

  app.get(
    '/api/legal-holds/:id/items',
    {
      schema: {
        tags,
        summary: "Search what a matter's hold covers, of one type",
        params: idParam,
        querystring: candidatesQuery,
        response: { 200: candidatesResponse },
      },
    },
    async (request) => ediscovery.candidates(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/legal-holds/:id/exports',
    {
      schema: {
        tags,
        summary: 'Export the matter (or the chosen items) as a ZIP; a job writes it, counting items as it goes',
        params: idParam,
        body: exportBody,
        response: { 202: exportResponse },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await ediscovery.startExport(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/legal-holds/:id/exports',
    {
      schema: {
        tags,
        summary: "A matter's exports, newest first",
        params: idParam,
        response: { 200: z.object({ exports: z.array(exportResponse) }) },
      },
    },
    async (request) => ediscovery.listExports(actorOf(request), request.params.id),
  );

  app.get(
    '/api/ediscovery-exports/:id',
    { schema: { tags, summary: 'An export and its progress', params: idParam, response: { 200: exportResponse } } },
    async (request) => ediscovery.getExport(actorOf(request), request.params.id),
  );

  app.get(
    '/api/ediscovery-exports/:id/download',
    { schema: { tags, summary: "A finished export's ZIP (audited)", params: idParam } },
    async (request, reply) => {
      const zip = await ediscovery.download(actorOf(request), request.params.id);
      return reply
        .type('application/zip')
        .header('content-length', zip.size)
        .header('etag', `"${zip.sha256}"`)
        .header('content-disposition', `attachment; filename="${zip.filename}"`)
        .send(zip.open());
    },
  );
};
