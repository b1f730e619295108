import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { announcementStatuses } from '../../announcements/announcements.tables.js';
import { cursorParam, nextCursor, pageSize } from '../../http/schemas.js';
import { digitalChannels, paperChannels } from './channel-shift-saving.js';
import { channelShifts } from './channel-shift.tables.js';

const target = z.enum(digitalChannels).describe('The channel customers are asked to move to');

export const channelShiftPlanQuery = z.strictObject({ segmentId: z.uuid(), target });

const millicents = z.number().describe('Thousandths of a cent');

export const channelShiftPlanResponse = z
  .object({
    segment: z.object({ id: z.uuid(), name: z.string() }),
    since: z.date().describe('The volumes are counted from here'),
    until: z.date(),
    customers: z.number().int().describe('Customers of the segment reached by letter or fax'),
    byChannel: z
      .object({ letter: z.number().int(), fax: z.number().int() })
      .describe('Those customers by the channel that reaches them'),
    target,
    targetRateMillicents: millicents,
    lines: z.array(
      z.object({
        channel: z.enum(paperChannels),
        items: z.number().int().describe('Items of the last twelve months'),
        rateMillicents: millicents,
        savingPerItemMillicents: millicents,
        costMillicents: millicents,
        savingMillicents: millicents,
      }),
    ),
    items: z.number().int(),
    currentCostMillicents: millicents.describe('What the year of letters and faxes cost at today’s rates'),
    newCostMillicents: millicents.describe('What the same items cost on the target channel'),
    savingMillicents: millicents.describe('The saving per year'),
  })
  .describe('ChannelShiftPlan');

export const startChannelShiftBody = z.strictObject({
  segmentId: z.uuid(),
  target,
  title: z.string().trim().min(1).max(200).optional().describe('The announcement’s title'),
  message: z.string().trim().min(1).max(2000).optional().describe('Why we ask, in the customer mailing'),
  teamIds: z.array(z.uuid()).max(100).optional().describe('The staff teams told; none: everyone on staff'),
});

const figures = z.record(z.string(), z.number());

export const channelShiftResponse = createSelectSchema(channelShifts)
  .omit({ volumes: true, rates: true })
  .extend({ volumes: figures, rates: figures })
  .describe('ChannelShift');

export const channelShiftDetailResponse = channelShiftResponse
  .extend({
    announcement: z.object({ id: z.uuid(), title: z.string(), status: z.enum(announcementStatuses) }).nullable(),
    outcome: z.object({
      movedCustomers: z.number().int().describe('Customers of the plan whose first channel is now email or the portal'),
      movedShare: z.number().nullable(),
      projectedSavingPerYearMillicents: millicents.describe(
        'What the moved customers save a year, at the plan’s rates and volumes',
      ),
      digitalItemsSince: z
        .number()
        .int()
        .describe('Items sent by email or portal to the plan’s customers since the start'),
      realisedSavingMillicents: millicents.describe('What those items would have cost on paper, less what they cost'),
      mailingCostMillicents: millicents.describe('What the consent request mailing cost'),
    }),
  })
  .describe('ChannelShiftDetail');

export const channelShiftsQuery = z.strictObject({ cursor: cursorParam, limit: pageSize });
export const channelShiftsResponse = z.object({ shifts: z.array(channelShiftResponse), nextCursor });
