import { z } from 'zod';

export const notificationSettingsBody = z.strictObject({
  emailMentions: z.boolean().describe('Also send me an email when a colleague mentions me in a comment'),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsBody>;

export const notificationSettingsResponse = z.object({ emailMentions: z.boolean() }).describe('NotificationSettings');
