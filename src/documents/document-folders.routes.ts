import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { createFolderBody, folderResponse, updateFolderBody } from './documents.schemas.js';
import type { DocumentFoldersService } from './folders.service.js';

export const documentFoldersRoutes: FastifyPluginAsyncZod<{ folders: DocumentFoldersService }> = async (
  app,
  { folders },
) => {
  const tags = ['Documents'];

  app.get(
    '/api/document-folders',
    {
      schema: {
        tags,
        summary: 'The folder tree, flat: each folder names its parent',
        response: { 200: z.object({ folders: z.array(folderResponse) }) },
      },
    },
    async (request) => ({ folders: await folders.list(actorOf(request)) }),
  );

  app.post(
    '/api/document-folders',
    { schema: { tags, summary: 'Add a folder', body: createFolderBody, response: { 201: folderResponse } } },
    async (request, reply) => reply.status(201).send(await folders.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/document-folders/:id',
    {
      schema: {
        tags,
        summary: 'Rename a folder or move it (never into itself or below itself)',
        params: idParam,
        body: updateFolderBody,
        response: { 200: folderResponse },
      },
    },
    async (request) => folders.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/document-folders/:id',
    { schema: { tags, summary: 'Remove an empty folder', params: idParam } },
    async (request, reply) => {
      await folders.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
