import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { searchQuery, searchResponse } from './search.schemas.js';
import type { SearchService } from './search.service.js';

export const searchRoutes: FastifyPluginAsyncZod<{ search: SearchService }> = async (app, { search }) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['Search'],
        summary:
          'Full-text search over documents (documents.read) and archived communications (communications.copies): ranked, with snippets and facets',
        querystring: searchQuery,
        response: { 200: searchResponse },
      },
    },
    async (request) => search.search(actorOf(request), request.query),
  );
};
