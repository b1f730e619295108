import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { inboundListResponse, listInboundQuery } from './inbound.schemas.js';
import type { InboundService } from './inbound.service.js';

export const inboundRoutes: FastifyPluginAsyncZod<{ inbound: Pick<InboundService, 'list'> }> = async (
  app,
  { inbound },
) => {
  app.get(
    '/api/inbound-messages',
    {
      schema: {
        tags: ['Inbound email'],
        summary:
          'Mail the support address received, newest first, with what became of each (ticket, bounce, auto-reply)',
        querystring: listInboundQuery,
        response: { 200: inboundListResponse },
      },
    },
    async (request) => inbound.list(actorOf(request), request.query),
  );
};
