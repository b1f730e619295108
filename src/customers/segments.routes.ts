import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { AttributesService } from './attributes.service.js';
import { attributeDefinitionBody } from './customers.schemas.js';
import {
  attributeKeyParam,
  attributeResponse,
  evaluateSegmentBody,
  evaluationResponse,
  segmentBody,
  segmentResponse,
  segmentWithEvaluationResponse,
} from './segments.schemas.js';
import type { SegmentsService } from './segments.service.js';

export const segmentsRoutes: FastifyPluginAsyncZod<{
  segments: SegmentsService;
  attributes: AttributesService;
}> = async (app, { segments, attributes }) => {
  const tags = ['Segments'];

  app.get(
    '/api/segments',
    {
      schema: { tags, summary: 'Saved segments', response: { 200: z.object({ segments: z.array(segmentResponse) }) } },
    },
    async (request) => ({
      segments: await segments.list(actorOf(request)),
    }),
  );

  app.post(
    '/api/segments/evaluate',
    {
      schema: {
        tags,
        summary: 'Count and preview the customers a filter matches now',
        body: evaluateSegmentBody,
        response: { 200: evaluationResponse },
      },
    },
    async (request) => segments.evaluate(actorOf(request), request.body.filter),
  );

  app.post(
    '/api/segments',
    { schema: { tags, summary: 'Save a segment', body: segmentBody, response: { 201: segmentResponse } } },
    async (request, reply) => reply.status(201).send(await segments.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/segments/:id',
    {
      schema: {
        tags,
        summary: 'A segment with its live count and preview',
        params: idParam,
        response: { 200: segmentWithEvaluationResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const segment = await segments.get(actor, request.params.id);
      return { ...segment, ...(await segments.evaluate(actor, segment.filter)) };
    },
  );

  app.patch(
    '/api/segments/:id',
    {
      schema: {
        tags,
        summary: 'Change a segment',
        params: idParam,
        body: segmentBody.partial(),
        response: { 200: segmentResponse },
      },
    },
    async (request) => segments.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/segments/:id',
    { schema: { tags, summary: 'Delete a segment', params: idParam } },
    async (request, reply) => {
      await segments.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/customer-attributes',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Custom attribute definitions',
        response: { 200: z.object({ attributes: z.array(attributeResponse) }) },
      },
    },
    async () => ({ attributes: await attributes.definitions() }),
  );

  app.post(
    '/api/customer-attributes',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Define a custom attribute (admin)',
        body: attributeDefinitionBody,
        response: { 201: attributeResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await attributes.define(actorOf(request), request.body)),
  );

  app.delete(
    '/api/customer-attributes/:key',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Remove a custom attribute definition (admin)',
        params: attributeKeyParam,
      },
    },
    async (request, reply) => {
      await attributes.remove(actorOf(request), request.params.key);
      return reply.status(204).send();
    },
  );
};
