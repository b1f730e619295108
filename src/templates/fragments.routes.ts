import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import type { FragmentsService } from './fragments.service.js';
import { fragmentBody, fragmentResponse, fragmentVersionResponse } from './templates.schemas.js';
import { workflowActions } from './workflow.js';

const fragmentParam = z.strictObject({ fragment: z.string().min(1).max(64).describe('Fragment id or key') });
const fragmentVersionParam = fragmentParam.extend({ number: z.coerce.number().int().positive() });

/** The fragment library: reusable approved blocks, versioned and reviewed like templates. */
export const fragmentsRoutes: FastifyPluginAsyncZod<{ fragments: FragmentsService }> = async (app, { fragments }) => {
  app.get(
    '/api/fragments',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'The fragment library',
        response: {
          200: z.object({
            fragments: z.array(
              fragmentResponse.extend({
                latest: fragmentVersionResponse.nullable(),
                published: fragmentVersionResponse.nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ fragments: await fragments.list(actorOf(request)) }),
  );

  app.post(
    '/api/fragments',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Create a fragment with its first draft',
        body: fragmentBody,
        response: { 201: fragmentResponse.extend({ versions: z.array(fragmentVersionResponse) }) },
      },
    },
    async (request, reply) => reply.status(201).send(await fragments.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/fragments/:fragment',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'A fragment with its versions',
        params: fragmentParam,
        response: { 200: fragmentResponse.extend({ versions: z.array(fragmentVersionResponse) }) },
      },
    },
    async (request) => fragments.get(actorOf(request), request.params.fragment),
  );

  app.post(
    '/api/fragments/:fragment/versions',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Save a new draft of a fragment',
        params: fragmentParam,
        body: z.strictObject({ body: fragmentBody.shape.body, changeNote: z.string().max(1000).optional() }),
        response: { 201: fragmentVersionResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fragments.saveVersion(actorOf(request), request.params.fragment, request.body)),
  );

  app.post(
    '/api/fragments/:fragment/versions/:number/workflow',
    {
      schema: {
        tags: ['Fragments'],
        summary: 'Move a fragment version through review',
        params: fragmentVersionParam,
        body: z.strictObject({ action: z.enum(workflowActions) }),
        response: { 200: fragmentVersionResponse },
      },
    },
    async (request) =>
      fragments.act(actorOf(request), request.params.fragment, request.params.number, request.body.action),
  );
};
