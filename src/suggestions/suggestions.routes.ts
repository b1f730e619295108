import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import {
  createSuggestionBody,
  linkOptionsResponse,
  suggestionResponse,
  suggestionsQuery,
  suggestionsResponse,
  suggestionStatusBody,
} from './suggestions.schemas.js';
import type { SuggestionsService } from './suggestions.service.js';

export const suggestionsRoutes: FastifyPluginAsyncZod<{ suggestions: SuggestionsService }> = async (
  app,
  { suggestions },
) => {
  const tags = ['Suggestions'];

  app.get(
    '/api/suggestions',
    {
      schema: {
        tags,
        summary: 'Suggestions, most votes or newest first, by status',
        querystring: suggestionsQuery,
        response: { 200: suggestionsResponse },
      },
    },
    async (request) => suggestions.list(actorOf(request), request.query),
  );

  app.get(
    '/api/suggestions/link-options',
    {
      schema: {
        tags,
        summary: 'The queues, templates, workflows and KPIs a suggestion may be about',
        response: { 200: linkOptionsResponse },
      },
    },
    async (request) => suggestions.linkOptions(actorOf(request)),
  );

  app.post(
    '/api/suggestions',
    {
      schema: {
        tags,
        summary: 'Propose a change to how work is done',
        body: createSuggestionBody,
        response: { 201: suggestionResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await suggestions.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/suggestions/:id',
    { schema: { tags, summary: 'One suggestion', params: idParam, response: { 200: suggestionResponse } } },
    async (request) => suggestions.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/suggestions/:id/vote',
    {
      schema: {
        tags,
        summary: 'Give my vote, or take it back when given',
        params: idParam,
        response: { 200: suggestionResponse },
      },
    },
    async (request) => suggestions.toggleVote(actorOf(request), request.params.id),
  );

  app.post(
    '/api/suggestions/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a suggestion on (under review, planned, done, declined) with a reason; its author is notified',
        params: idParam,
        body: suggestionStatusBody,
        response: { 200: suggestionResponse },
      },
    },
    async (request) => suggestions.setStatus(actorOf(request), request.params.id, request.body),
  );
};
