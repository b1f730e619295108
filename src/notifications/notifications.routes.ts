import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { markReadBody, notificationsQuery, notificationsResponse } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

export const notificationsRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  const tags = ['Notifications'];

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications (mentions, assignments, breaches), newest first',
        querystring: notificationsQuery,
        response: { 200: notificationsResponse },
      },
    },
    async (request) => {
      const { unread, cursor, limit } = request.query;
      return notifications.mine(actorOf(request), { unreadOnly: unread, cursor, limit });
    },
  );

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark my notifications read',
        body: markReadBody,
        response: { 200: z.object({ marked: z.number().int() }) },
      },
    },
    async (request) => notifications.markRead(actorOf(request), request.body.ids),
  );
};
