import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { documentTypeBody, documentTypeResponse, updateDocumentTypeBody } from './document-types.schemas.js';
import type { DocumentTypesService } from './document-types.service.js';

export const documentTypesRoutes: FastifyPluginAsyncZod<{ types: DocumentTypesService }> = async (app, { types }) => {
  const tags = ['Documents'];

  app.get(
    '/api/document-types',
    {
      schema: {
        tags,
        summary: 'The document types and the metadata fields of each, by name',
        response: { 200: z.object({ types: z.array(documentTypeResponse) }) },
      },
    },
    async (request) => ({ types: await types.list(actorOf(request)) }),
  );

  app.get(
    '/api/document-types/:id',
    { schema: { tags, summary: 'A document type', params: idParam, response: { 200: documentTypeResponse } } },
    async (request) => types.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/document-types',
    {
      schema: {
        tags,
        summary: 'Define a document type with its metadata fields',
        body: documentTypeBody,
        response: { 201: documentTypeResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await types.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/document-types/:id',
    {
      schema: {
        tags,
        summary: "Rename a document type or change its fields (its documents' metadata is checked on its next change)",
        params: idParam,
        body: updateDocumentTypeBody,
        response: { 200: documentTypeResponse },
      },
    },
    async (request) => types.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/document-types/:id',
    { schema: { tags, summary: 'Remove a document type no document has', params: idParam } },
    async (request, reply) => {
      await types.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
