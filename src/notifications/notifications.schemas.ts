import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { notifications } from './notifications.tables.js';

export const notificationResponse = createSelectSchema(notifications).omit({ userId: true }).describe('Notification');

export const notificationsQuery = z.strictObject({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Only notices not yet read'),
  cursor: cursorParam,
  limit: pageSize,
});

export const notificationsResponse = z.object({
  notifications: z.array(notificationResponse),
  unread: z.number().int(),
  nextCursor,
});

export const markReadBody = z.strictObject({
  ids: z.array(z.uuid()).max(500).optional().describe('The notices to mark read; all unread ones when left out'),
});
