import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { AttributesService } from './attributes.service.js';
import { attributeDefinitionBody, customerSummaryResponse } from './customers.schemas.js';
import { attributeTypes } from './customers.tables.js';
import { segmentFilterSchema } from './segment-filter.js';
import type { SegmentsService } from './segments.service.js';

const segmentResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    filter: z.record(z.string(), z.unknown()),
    createdBy: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('Segment');

const segmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  filter: segmentFilterSchema,
});

const evaluationResponse = z
  .object({ count: z.number().int(), preview: z.array(customerSummaryResponse) })
  .describe('SegmentEvaluation');

const attributeResponse = z
  .object({ key: z.string(), label: z.string(), type: z.enum(attributeTypes), choices: z.array(z.string()) })
  .describe('AttributeDefinition');

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
        body: z.strictObject({ filter: segmentFilterSchema }),
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
        response: { 200: segmentResponse.extend(evaluationResponse.shape) },
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
        params: z.strictObject({ key: z.string().max(40) }),
      },
    },
    async (request, reply) => {
      await attributes.remove(actorOf(request), request.params.key);
      return reply.status(204).send();
    },
  );
};
