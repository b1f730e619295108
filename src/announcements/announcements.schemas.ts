import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { announcementRecipients, announcements, announcementStatuses } from './announcements.tables.js';

export const customerMailingBody = z
  .strictObject({
    segmentId: z.uuid(),
    template: z.string().trim().min(1).max(200).describe('Key or id of a published template'),
    data: z.record(z.string(), z.unknown()).optional().describe("The template's data, the same for every customer"),
  })
  .describe('CustomerMailing');

export const createAnnouncementBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
  teamIds: z.array(z.uuid()).max(100).optional().describe('The staff teams told; none: everyone on staff'),
  remindAfterHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional()
    .describe(
      'Those who have not acknowledged are reminded this long after publishing, and again after each reminder; 24 unless given',
    ),
  customerMailing: customerMailingBody
    .optional()
    .describe('A matching communication to a customer segment, sent when the announcement is published'),
});
export type CreateAnnouncementInput = z.infer<typeof createAnnouncementBody>;

/** The fields of a draft to change; a field left out stays as it is, a customer mailing of null is dropped. */
export const updateAnnouncementBody = createAnnouncementBody
  .partial()
  .extend({
    customerMailing: customerMailingBody.nullable().optional().describe('The matching customer mailing; null: none'),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'names no field to change' });
export type UpdateAnnouncementInput = z.infer<typeof updateAnnouncementBody>;

export const announcementsQuery = z.strictObject({
  status: z.enum(announcementStatuses).optional(),
  cursor: cursorParam,
  limit: pageSize,
});

export const announcementResponse = createSelectSchema(announcements)
  .omit({ customerData: true })
  .extend({ customerData: z.record(z.string(), z.unknown()) })
  .describe('Announcement');

export const announcementListItem = announcementResponse
  .extend({ recipients: z.number().int(), acknowledged: z.number().int() })
  .describe('AnnouncementListItem');

export const announcementsResponse = z.object({ announcements: z.array(announcementListItem), nextCursor });

export const pendingAnnouncementsResponse = z.object({ announcements: z.array(announcementResponse) });

export const announcementDetailResponse = announcementResponse
  .extend({
    segmentName: z.string().nullable(),
    templateKey: z.string().nullable(),
    teamNames: z.array(z.string()),
    addressedToMe: z.boolean().describe('Whether the signed-in person is among those it was published to'),
    acknowledgedAt: z.date().nullable().describe('When the signed-in person acknowledged it'),
  })
  .describe('AnnouncementDetail');

const recipient = createSelectSchema(announcementRecipients)
  .pick({ userId: true, acknowledgedAt: true, lastRemindedAt: true })
  .extend({ name: z.string(), email: z.string() });

export const announcementReachResponse = z
  .object({
    announcementId: z.uuid(),
    status: z.enum(announcementStatuses),
    staff: z.object({
      recipients: z.number().int(),
      acknowledged: z.number().int(),
      pending: z.number().int(),
      people: z.array(recipient),
    }),
    customers: z
      .object({
        batchRunId: z.uuid(),
        runStatus: z.string(),
        segmentName: z.string().nullable(),
        templateName: z.string(),
        total: z.number().int().describe('Customers in the segment when the run started'),
        created: z.number().int(),
        sent: z.number().int().describe('Handed to their channel (delivered and waiting for print included)'),
        delivered: z.number().int(),
        failed: z.number().int().describe('Failed or bounced'),
        suppressed: z.number().int().describe('Not sent: no channel allowed'),
        inProgress: z.number().int(),
        channels: z.record(z.string(), z.number().int()),
        costMillicents: z.number(),
      })
      .nullable()
      .describe('The customer mailing; null without one or before publishing'),
  })
  .describe('AnnouncementReach');
