import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { KnowledgeArticlesService } from './articles.service.js';
import type { KnowledgeCategoriesService } from './categories.service.js';
import {
  articleActionBody,
  articleResponse,
  articlesPageResponse,
  articleVersionParams,
  categoryBody,
  categoryResponse,
  createArticleBody,
  listArticlesQuery,
  listVersionsQuery,
  replyContentResponse,
  restoreVersionBody,
  saveVersionBody,
  searchArticlesQuery,
  searchResultsResponse,
  updateArticleBody,
  versionResponse,
  versionsPageResponse,
} from './knowledge.schemas.js';

export const knowledgeRoutes: FastifyPluginAsyncZod<{
  articles: KnowledgeArticlesService;
  categories: KnowledgeCategoriesService;
}> = async (app, { articles, categories }) => {
  const tags = ['Knowledge base'];

  app.get(
    '/api/knowledge/categories',
    {
      schema: {
        tags,
        summary: 'Article categories in their order',
        response: { 200: z.object({ categories: z.array(categoryResponse) }) },
      },
    },
    async (request) => ({ categories: await categories.list(actorOf(request)) }),
  );

  app.post(
    '/api/knowledge/categories',
    { schema: { tags, summary: 'Add a category', body: categoryBody, response: { 201: categoryResponse } } },
    async (request, reply) => reply.status(201).send(await categories.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/knowledge/categories/:id',
    {
      schema: {
        tags,
        summary: 'Rename or move a category',
        params: idParam,
        body: categoryBody.partial(),
        response: { 200: categoryResponse },
      },
    },
    async (request) => categories.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/knowledge/categories/:id',
    { schema: { tags, summary: 'Remove an empty category', params: idParam } },
    async (request, reply) => {
      await categories.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/knowledge/articles',
    {
      schema: {
        tags,
        summary: 'Articles, most recently changed first',
        querystring: listArticlesQuery,
        response: { 200: articlesPageResponse },
      },
    },
    async (request) => articles.list(actorOf(request), request.query),
  );

  app.get(
    '/api/knowledge/search',
    {
      schema: {
        tags,
        summary: 'Search articles: best match first, with highlighted snippets',
        querystring: searchArticlesQuery,
        response: { 200: searchResultsResponse },
      },
    },
    async (request) => articles.search(actorOf(request), request.query),
  );

  app.post(
    '/api/knowledge/articles',
    {
      schema: {
        tags,
        summary: 'Write an article (a draft, version 1)',
        body: createArticleBody,
        response: { 201: articleResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await articles.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/knowledge/articles/:id',
    {
      schema: {
        tags,
        summary: 'An article with its current version',
        params: idParam,
        response: { 200: articleResponse },
      },
    },
    async (request) => articles.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/knowledge/articles/:id',
    {
      schema: {
        tags,
        summary: "Change an article's slug, category or visibility",
        params: idParam,
        body: updateArticleBody,
        response: { 200: articleResponse },
      },
    },
    async (request) => articles.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/knowledge/articles/:id/actions',
    {
      schema: {
        tags,
        summary: 'Publish, unpublish, archive or unarchive an article',
        params: idParam,
        body: articleActionBody,
        response: { 200: articleResponse },
      },
    },
    async (request) => articles.act(actorOf(request), request.params.id, request.body.action),
  );

  app.get(
    '/api/knowledge/articles/:id/versions',
    {
      schema: {
        tags,
        summary: "An article's versions, newest first",
        params: idParam,
        querystring: listVersionsQuery,
        response: { 200: versionsPageResponse },
      },
    },
    async (request) => articles.versions(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/knowledge/articles/:id/versions',
    {
      schema: {
        tags,
        summary: 'Save the article: a new version that becomes the current one',
        params: idParam,
        body: saveVersionBody,
        response: { 201: versionResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await articles.saveVersion(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/knowledge/articles/:id/versions/:number',
    {
      schema: {
        tags,
        summary: 'One version of an article as it was saved',
        params: articleVersionParams,
        response: { 200: versionResponse },
      },
    },
    async (request) => articles.version(actorOf(request), request.params.id, request.params.number),
  );

  app.post(
    '/api/knowledge/articles/:id/versions/:number/restore',
    {
      schema: {
        tags,
        summary: 'Restore a version: its content saved again as a new version',
        params: articleVersionParams,
        body: restoreVersionBody,
        response: { 201: versionResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await articles.restore(actorOf(request), request.params.id, request.params.number, request.body)),
  );

  app.get(
    '/api/knowledge/articles/:id/reply-content',
    {
      schema: {
        tags,
        summary: 'An article for a reply: its help-centre link and its text as Markdown, HTML and plain text',
        params: idParam,
        response: { 200: replyContentResponse },
      },
    },
    async (request) => articles.replyContent(actorOf(request), request.params.id),
  );
};
