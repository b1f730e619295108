import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  feedbackBody,
  helpArticleResponse,
  helpArticlesPageResponse,
  helpCategoryResponse,
  helpListQuery,
  helpSearchQuery,
  helpSearchResponse,
  helpSlugParam,
} from './help-centre.schemas.js';
import type { HelpCentreService } from './help-centre.service.js';

/** The help centre's reads for the portal: public and published articles only, without signing in. */
export const helpCentreRoutes: FastifyPluginAsyncZod<{ help: HelpCentreService }> = async (app, { help }) => {
  const tags = ['Help centre'];
  const config = { public: true };
  const security: [] = [];

  app.get(
    '/api/help/categories',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Categories that hold published help articles, in their order',
        response: { 200: z.object({ categories: z.array(helpCategoryResponse) }) },
      },
    },
    async () => ({ categories: await help.categories() }),
  );

  app.get(
    '/api/help/articles',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Published help articles by title, in one category or all',
        querystring: helpListQuery,
        response: { 200: helpArticlesPageResponse },
      },
    },
    async (request) => help.list(request.query),
  );

  app.get(
    '/api/help/search',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Search the help centre: best match first, with highlighted snippets',
        querystring: helpSearchQuery,
        response: { 200: helpSearchResponse },
      },
    },
    async (request) => help.search(request.query),
  );

  app.get(
    '/api/help/articles/:slug',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'A published help article as sanitized HTML',
        params: helpSlugParam,
        response: { 200: helpArticleResponse },
      },
    },
    async (request) => help.read(request.params.slug),
  );

  app.post(
    '/api/help/articles/:slug/feedback',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Did this article answer your question? Counted per article and day',
        params: helpSlugParam,
        body: feedbackBody,
      },
    },
    async (request, reply) => {
      await help.feedback(request.params.slug, request.body.helpful);
      return reply.status(204).send();
    },
  );
};
