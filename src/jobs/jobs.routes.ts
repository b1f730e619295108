import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { pageSize } from '../http/schemas.js';
import type { JobsService } from './jobs.service.js';
import { jobStatuses } from './jobs.tables.js';

const jobResponse = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    payload: z.unknown(),
    status: z.enum(jobStatuses),
    idempotencyKey: z.string().nullable(),
    runAt: z.date(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    lastError: z.string().nullable(),
    progress: z.record(z.string(), z.unknown()).nullable(),
    lockedBy: z.string().nullable(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  })
  .describe('Job');

const jobIdParam = z.strictObject({ id: z.coerce.number().int().positive() });

export const jobsRoutes: FastifyPluginAsyncZod<{ jobs: JobsService }> = async (app, { jobs }) => {
  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'List background jobs, newest first, with counts by status',
        querystring: z.strictObject({
          status: z.enum(jobStatuses).optional(),
          kind: z.string().max(100).optional(),
          before: z.coerce.number().int().positive().optional(),
          limit: pageSize,
        }),
        response: {
          200: z.object({
            jobs: z.array(jobResponse),
            nextCursor: z.number().int().nullable(),
            counts: z.record(z.enum(jobStatuses), z.number().int()),
          }),
        },
      },
    },
    async (request) => jobs.list(actorOf(request), request.query),
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'One job with its last error and progress',
        params: jobIdParam,
        response: { 200: jobResponse },
      },
    },
    async (request) => jobs.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/jobs/:id/retry',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'Put a dead or cancelled job back in the queue',
        params: jobIdParam,
        response: { 200: jobResponse },
      },
    },
    async (request) => jobs.retry(actorOf(request), request.params.id),
  );
};
