import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { sendFile } from '../http/download.js';
import { idParam } from '../http/schemas.js';
import { createGoalBody, goalDetailResponse, goalsQuery, goalsResponse, updateGoalBody } from './goals.schemas.js';
import type { GoalsService } from './goals.service.js';
import {
  kpiDefinitionResponse,
  kpiParams,
  kpiRecordsQuery,
  kpiRecordsResponse,
  kpiSeriesQuery,
  kpiSeriesResponse,
} from './insights.schemas.js';
import { seriesRequest, type InsightsService } from './insights.service.js';

export const insightsRoutes: FastifyPluginAsyncZod<{ insights: InsightsService; goals: GoalsService }> = async (
  app,
  { insights, goals },
) => {
  const tags = ['Insights'];

  app.get(
    '/api/insights/kpis',
    {
      schema: {
        tags,
        summary: 'Every KPI: its unit, whether higher is better, how it is computed and its filters',
        response: { 200: z.object({ kpis: z.array(kpiDefinitionResponse) }) },
      },
    },
    async (request) => ({ kpis: insights.definitions(actorOf(request)) }),
  );

  app.get(
    '/api/insights/kpis/:key',
    {
      schema: {
        tags,
        summary: 'A KPI per bucket over a period (empty buckets count zero), its total and its breakdown',
        params: kpiParams,
        querystring: kpiSeriesQuery,
        response: { 200: kpiSeriesResponse },
      },
    },
    async (request) => insights.series(actorOf(request), request.params.key, seriesRequest(request.query)),
  );

  app.get(
    '/api/insights/kpis/:key/records',
    {
      schema: {
        tags,
        summary: 'The records behind one point of a KPI series (the complaints of that week, say), newest first',
        params: kpiParams,
        querystring: kpiRecordsQuery,
        response: { 200: kpiRecordsResponse },
      },
    },
    async (request) => {
      const { point, cursor, limit } = request.query;
      return insights.records(actorOf(request), request.params.key, {
        ...seriesRequest(request.query),
        point,
        cursor,
        limit,
      });
    },
  );

  app.get(
    '/api/insights/kpis/:key/export.csv',
    {
      schema: {
        tags,
        summary: 'A KPI series as CSV: one row per bucket, then the total',
        params: kpiParams,
        querystring: kpiSeriesQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { fileName, body } = await insights.csv(actorOf(request), request.params.key, seriesRequest(request.query));
      return sendFile(reply, { body, mediaType: 'text/csv; charset=utf-8', fileName });
    },
  );

  app.get(
    '/api/goals',
    {
      schema: {
        tags,
        summary: 'Goals with their progress (mine: owned by me or my teams)',
        querystring: goalsQuery,
        response: { 200: goalsResponse },
      },
    },
    async (request) => goals.list(actorOf(request), { mine: request.query.mine }),
  );

  app.get(
    '/api/goals/:id',
    {
      schema: {
        tags,
        summary: 'A goal with its progress and the goals that roll up to it',
        params: idParam,
        response: { 200: goalDetailResponse },
      },
    },
    async (request) => goals.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/goals',
    {
      schema: { tags, summary: 'Set a goal on a KPI', body: createGoalBody, response: { 201: goalDetailResponse } },
    },
    async (request, reply) => reply.status(201).send(await goals.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/goals/:id',
    {
      schema: {
        tags,
        summary: 'Change a goal',
        params: idParam,
        body: updateGoalBody,
        response: { 200: goalDetailResponse },
      },
    },
    async (request) => goals.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/goals/:id',
    { schema: { tags, summary: 'Remove a goal; the goals under it stand on their own', params: idParam } },
    async (request, reply) => {
      await goals.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
