import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { QueuesService } from './queues.service.js';
import { availabilityBody, queueBody, queueResponse, updateQueueBody } from './tickets.schemas.js';

/** Queues of the service desk and whether an agent takes round-robin tickets now. */
export const queuesRoutes: FastifyPluginAsyncZod<{ queues: QueuesService }> = async (app, { queues }) => {
  const queueTags = ['Ticket queues'];

  app.get(
    '/api/ticket-queues',
    { schema: { tags: queueTags, summary: 'Queues', response: { 200: z.object({ queues: z.array(queueResponse) }) } } },
    async (request) => ({ queues: await queues.list(actorOf(request)) }),
  );

  app.post(
    '/api/ticket-queues',
    { schema: { tags: queueTags, summary: 'Create a queue', body: queueBody, response: { 201: queueResponse } } },
    async (request, reply) => reply.status(201).send(await queues.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/ticket-queues/:id',
    {
      schema: {
        tags: queueTags,
        summary: 'Change a queue',
        params: idParam,
        body: updateQueueBody,
        response: { 200: queueResponse },
      },
    },
    async (request) => queues.update(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/me/availability',
    {
      schema: {
        tags: queueTags,
        summary: 'Whether I take round-robin tickets now',
        response: { 200: availabilityBody },
      },
    },
    async (request) => queues.availability(actorOf(request)),
  );

  app.put(
    '/api/me/availability',
    {
      schema: {
        tags: queueTags,
        summary: 'Say I am available or away for round-robin tickets',
        body: availabilityBody,
        response: { 200: availabilityBody },
      },
    },
    async (request) => queues.setAvailability(actorOf(request), request.body.available),
  );
};
