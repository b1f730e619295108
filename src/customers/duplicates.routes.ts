import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import { customerResponse, customerSummaryResponse } from './customers.schemas.js';
import type { DuplicatesService } from './duplicates.service.js';
import type { MergeService } from './merge.service.js';

const tags = ['Customers'];
const otherBody = z.strictObject({
  otherId: z.uuid().describe('The customer merged into this one; it is archived as merged'),
});
const moves = z.array(z.object({ label: z.string(), count: z.number().int() }));

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
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({
            pairs: z.array(
              z.object({
                customerIds: z.tuple([z.uuid(), z.uuid()]),
                reasons: z.array(z.string()),
                customers: z.array(customerSummaryResponse),
              }),
            ),
          }),
        },
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
        body: z.strictObject({ customerIds: z.tuple([z.uuid(), z.uuid()]) }),
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
        body: otherBody,
        response: {
          200: z.object({
            survivor: customerResponse,
            other: customerResponse,
            result: z.record(z.string(), z.unknown()),
            moves,
          }),
        },
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
        body: otherBody,
        response: { 200: z.object({ customer: customerResponse, moved: z.record(z.string(), z.number().int()) }) },
      },
    },
    async (request) => merge.merge(actorOf(request), request.params.id, request.body.otherId),
  );
};
