import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { jobIdParam, jobListResponse, jobResponse, listJobsQuery } from './jobs.schemas.js';
import type { JobsService } from './jobs.service.js';

export const jobsRoutes: FastifyPluginAsyncZod<{ jobs: JobsService }> = async (app, { jobs }) => {
  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'List background jobs, newest first, with counts by status',
        querystring: listJobsQuery,
        response: { 200: jobListResponse },
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
