import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { notificationSettingsBody, notificationSettingsResponse } from './notification-settings.schemas.js';
import type { NotificationSettingsService } from './notification-settings.service.js';

export const notificationSettingsRoutes: FastifyPluginAsyncZod<{ settings: NotificationSettingsService }> = async (
  app,
  { settings },
) => {
  const tags = ['Notifications'];

  app.get(
    '/api/notifications/settings',
    {
      schema: {
        tags,
        summary: 'How I want to hear of mentions beyond the workspace',
        response: { 200: notificationSettingsResponse },
      },
    },
    async (request) => settings.mine(actorOf(request)),
  );

  app.put(
    '/api/notifications/settings',
    {
      schema: {
        tags,
        summary: 'Set how I want to hear of mentions beyond the workspace',
        body: notificationSettingsBody,
        response: { 200: notificationSettingsResponse },
      },
    },
    async (request) => settings.update(actorOf(request), request.body),
  );
};
