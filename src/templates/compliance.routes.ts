import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { ComplianceService } from './compliance.service.js';
import { ruleBody, rulePatchBody, ruleResponse } from './templates.schemas.js';

/** Compliance rules per purpose, which every template version is checked against. */
export const complianceRoutes: FastifyPluginAsyncZod<{ compliance: ComplianceService }> = async (
  app,
  { compliance },
) => {
  app.get(
    '/api/compliance-rules',
    {
      schema: {
        tags: ['Compliance'],
        summary: 'Compliance rules per purpose',
        response: { 200: z.object({ rules: z.array(ruleResponse) }) },
      },
    },
    async (request) => ({
      rules: await compliance.list(actorOf(request)),
    }),
  );

  app.post(
    '/api/compliance-rules',
    {
      schema: { tags: ['Compliance'], summary: 'Add a rule (admin)', body: ruleBody, response: { 201: ruleResponse } },
    },
    async (request, reply) => reply.status(201).send(await compliance.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/compliance-rules/:id',
    {
      schema: {
        tags: ['Compliance'],
        summary: 'Change or disable a rule (admin)',
        params: idParam,
        body: rulePatchBody,
        response: { 200: ruleResponse },
      },
    },
    async (request) => compliance.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/compliance-rules/:id',
    { schema: { tags: ['Compliance'], summary: 'Delete a rule (admin)', params: idParam } },
    async (request, reply) => {
      await compliance.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
