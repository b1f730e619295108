import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { compareQuery, compareResponse, textStatusQuery, textStatusResponse } from './version-compare.schemas.js';
import type { VersionCompare } from './version-compare.service.js';

export const versionCompareRoutes: FastifyPluginAsyncZod<{ compare: VersionCompare }> = async (app, { compare }) => {
  const tags = ['Documents'];

  app.get(
    '/api/documents/:id/versions/compare',
    {
      schema: {
        tags,
        summary: 'Two versions compared: their differing details and a line diff of their extracted text',
        params: idParam,
        querystring: compareQuery,
        response: { 200: compareResponse },
      },
    },
    async (request) => compare.compare(actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/documents/:id/text',
    {
      schema: {
        tags,
        summary: "A version's extracted text (the current one unless named): being extracted, found, or failed",
        params: idParam,
        querystring: textStatusQuery,
        response: { 200: textStatusResponse },
      },
    },
    async (request) => compare.textStatus(actorOf(request), request.params.id, request.query.version),
  );
};
