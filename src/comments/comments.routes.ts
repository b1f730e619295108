import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { idParam } from '../http/schemas.js';
import type { Activity } from './activity.service.js';
import {
  addCommentBody,
  commentResponse,
  commentsQuery,
  commentsResponse,
  editCommentBody,
  feedQuery,
  feedResponse,
  followParams,
  followResponse,
} from './comments.schemas.js';
import type { RecordCommentsService } from './comments.service.js';

export const recordCommentsRoutes: FastifyPluginAsyncZod<{
  comments: RecordCommentsService;
  activity: Activity;
}> = async (app, { comments, activity }) => {
  const tags = ['Comments'];

  app.get(
    '/api/record-comments',
    {
      schema: {
        tags,
        summary: 'The comments on a record, oldest first',
        querystring: commentsQuery,
        response: { 200: commentsResponse },
      },
    },
    async (request) => {
      const { kind, id, cursor, limit } = request.query;
      return comments.list(actorOf(request), { kind, id }, { cursor, limit });
    },
  );

  app.post(
    '/api/record-comments',
    {
      schema: {
        tags,
        summary: 'Comment on a record; @mentioned colleagues are notified, and the author follows the record',
        body: addCommentBody,
        response: { 201: commentResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await comments.add(actorOf(request), request.body)),
  );

  app.patch(
    '/api/record-comments/:id',
    {
      schema: {
        tags,
        summary: 'Change my comment; colleagues it now mentions for the first time are notified',
        params: idParam,
        body: editCommentBody,
        response: { 200: commentResponse },
      },
    },
    async (request) => comments.edit(actorOf(request), request.params.id, request.body.body),
  );

  app.delete(
    '/api/record-comments/:id',
    { schema: { tags, summary: 'Delete my comment', params: idParam } },
    async (request, reply) => {
      await comments.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/follows/:kind/:id',
    {
      schema: {
        tags,
        summary: 'Whether I follow a record',
        params: followParams,
        response: { 200: followResponse },
      },
    },
    async (request) => activity.isFollowing(actorOf(request), request.params),
  );

  app.put(
    '/api/follows/:kind/:id',
    {
      schema: {
        tags,
        summary: 'Follow a record: its comments and changes reach my feed',
        params: followParams,
        response: { 200: followResponse },
      },
    },
    async (request) => activity.setFollowing(actorOf(request), request.params, true),
  );

  app.delete(
    '/api/follows/:kind/:id',
    {
      schema: {
        tags,
        summary: 'Stop following a record',
        params: followParams,
        response: { 200: followResponse },
      },
    },
    async (request) => activity.setFollowing(actorOf(request), request.params, false),
  );

  app.get(
    '/api/feed',
    {
      schema: {
        tags,
        summary: 'What colleagues did on the records I follow, newest first',
        querystring: feedQuery,
        response: { 200: feedResponse },
      },
    },
    async (request) => activity.feed(actorOf(request), request.query),
  );
};
