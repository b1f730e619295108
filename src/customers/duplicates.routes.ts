import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  dismissBody,
  duplicatePairsResponse,
  duplicatesQuery,
  mergeBody,
  mergePreviewResponse,
  mergeResponse,
} from './duplicates.schemas.js';
import type { DuplicatesService } from './duplicates.service.js';
import type { MergeService } from './merge.service.js';

const tags = ['Customers'];

export const duplicatesRoutes: FastifyPluginAsyncZod<{ duplicates: DuplicatesService; merge: MergeService }> = async (
  app,
  { duplicates, merge },
) => {
  app.get(
    '/api/customers/duplicates',
    {
      schema: {
        tags,
        summary: 'Likely duplicate customers for review',
        querystring: duplicatesQuery,
        response: { 200: duplicatePairsResponse },
      },
    },
    async (request) => ({ pairs: await duplicates.detect(actorOf(request), request.query.limit) }),
  );

  app.post(
    '/api/customers/duplicates/dismiss',
    {
      schema: {
        tags,
        summary: 'Mark two customers as not duplicates',
        body: dismissBody,
      },
    },
    async (request, reply) => {
      await duplicates.dismiss(actorOf(request), ...request.body.customerIds);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/customers/:id/merge-preview',
    {
      schema: {
        tags,
        summary: 'What merging another customer into this one would change and move',
        params: idParam,
        body: mergeBody,
        response: { 200: mergePreviewResponse },
      },
    },
    async (request) => merge.preview(actorOf(request), request.params.id, request.body.otherId),
  );

  app.post(
    '/api/customers/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge another customer into this one, moving every linked record',
        params: idParam,
        body: mergeBody,
        response: { 200: mergeResponse },
      },
    },
    async (request) => merge.merge(actorOf(request), request.params.id, request.body.otherId),
  );
};
