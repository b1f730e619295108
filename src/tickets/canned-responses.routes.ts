import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  cannedResponseBody,
  cannedResponseResponse,
  renderCannedResponseBody,
  renderedCannedResponse,
  updateCannedResponseBody,
} from './canned-responses.schemas.js';
import type { CannedResponsesService } from './canned-responses.service.js';

/** Canned responses: kept by managers, inserted into replies by agents. */
export const cannedResponsesRoutes: FastifyPluginAsyncZod<{ canned: CannedResponsesService }> = async (
  app,
  { canned },
) => {
  const tags = ['Canned responses'];

  app.get(
    '/api/canned-responses',
    {
      schema: {
        tags,
        summary: 'Canned responses, by name',
        response: { 200: z.object({ cannedResponses: z.array(cannedResponseResponse) }) },
      },
    },
    async (request) => ({ cannedResponses: await canned.list(actorOf(request)) }),
  );

  app.post(
    '/api/canned-responses',
    {
      schema: {
        tags,
        summary: 'Create a canned response',
        body: cannedResponseBody,
        response: { 201: cannedResponseResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await canned.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/canned-responses/:id',
    {
      schema: {
        tags,
        summary: 'Change a canned response',
        params: idParam,
        body: updateCannedResponseBody,
        response: { 200: cannedResponseResponse },
      },
    },
    async (request) => canned.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/canned-responses/:id',
    { schema: { tags, summary: 'Delete a canned response', params: idParam, response: { 204: z.null() } } },
    async (request, reply) => {
      await canned.remove(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/canned-responses/:id/render',
    {
      schema: {
        tags,
        summary: "The canned response filled in for a ticket's customer and the agent asking",
        params: idParam,
        body: renderCannedResponseBody,
        response: { 200: renderedCannedResponse },
      },
    },
    async (request) => canned.renderFor(actorOf(request), request.params.id, request.body.ticketId),
  );
};
