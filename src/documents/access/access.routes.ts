import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/authenticate.js';
import { idParam } from '../../http/schemas.js';
import { permissionsResponse, setPermissionsBody } from './access.schemas.js';
import type { DocumentAccessService } from './access.service.js';

export const documentAccessRoutes: FastifyPluginAsyncZod<{ access: DocumentAccessService }> = async (
  app,
  { access },
) => {
  const tags = ['Documents'];

  app.get(
    '/api/document-folders/:id/permissions',
    {
      schema: {
        tags,
        summary: "A folder's grants and those it inherits",
        params: idParam,
        response: { 200: permissionsResponse },
      },
    },
    async (request) => access.folderPermissions(actorOf(request), request.params.id),
  );

  app.put(
    '/api/document-folders/:id/permissions',
    {
      schema: {
        tags,
        summary: "Replace a folder's own grants (they apply to everything below it)",
        params: idParam,
        body: setPermissionsBody,
        response: { 200: permissionsResponse },
      },
    },
    async (request) => access.setFolderPermissions(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/documents/:id/permissions',
    {
      schema: {
        tags,
        summary: "A document's grants and those it inherits from its folders",
        params: idParam,
        response: { 200: permissionsResponse },
      },
    },
    async (request) => access.documentPermissions(actorOf(request), request.params.id),
  );

  app.put(
    '/api/documents/:id/permissions',
    {
      schema: {
        tags,
        summary: "Replace a document's own grants",
        params: idParam,
        body: setPermissionsBody,
        response: { 200: permissionsResponse },
      },
    },
    async (request) => access.setDocumentPermissions(actorOf(request), request.params.id, request.body),
  );
};
