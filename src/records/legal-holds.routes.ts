import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  addScopeBody,
  coveringQuery,
  coveringResponse,
  holdResponse,
  holdsPageResponse,
  listHoldsQuery,
  placeHoldBody,
  releaseHoldBody,
} from './legal-holds.schemas.js';
import type { LegalHoldsService } from './legal-holds.service.js';

export const legalHoldsRoutes: FastifyPluginAsyncZod<{ holds: LegalHoldsService }> = async (app, { holds }) => {
  const tags = ['Legal holds'];

  app.get(
    '/api/legal-holds',
    {
      schema: {
        tags,
        summary: 'Legal holds, newest first, with how much each covers',
        querystring: listHoldsQuery,
        response: { 200: holdsPageResponse },
      },
    },
    async (request) => holds.list(actorOf(request), request.query),
  );

  app.post(
    '/api/legal-holds',
    {
      schema: {
        tags,
        summary: 'Place a hold on a matter: nothing in its scope can be deleted, disposed, merged away or changed',
        body: placeHoldBody,
        response: { 201: holdResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await holds.place(actorOf(request), request.body)),
  );

  app.get(
    '/api/legal-holds/covering',
    {
      schema: {
        tags,
        summary: 'The active holds covering one customer, document, ticket or communication',
        querystring: coveringQuery,
        response: { 200: coveringResponse },
      },
    },
    async (request) => holds.covering(actorOf(request), request.query.type, request.query.id),
  );

  app.get(
    '/api/legal-holds/:id',
    { schema: { tags, summary: 'A hold with its scope', params: idParam, response: { 200: holdResponse } } },
    async (request) => holds.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/legal-holds/:id/scope',
    {
      schema: {
        tags,
        summary: 'Widen an active hold',
        params: idParam,
        body: addScopeBody,
        response: { 200: holdResponse },
      },
    },
    async (request) => holds.addScope(actorOf(request), request.params.id, request.body.scope),
  );

  app.post(
    '/api/legal-holds/:id/release',
    {
      schema: {
        tags,
        summary: 'Release a hold, with the reason (audited)',
        params: idParam,
        body: releaseHoldBody,
        response: { 200: holdResponse },
      },
    },
    async (request) => holds.release(actorOf(request), request.params.id, request.body.reason),
  );
};
