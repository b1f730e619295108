import { z } from 'zod';
import { channels } from '../../customers/customers.tables.js';

const uuidPattern = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const activityBaseline = new RegExp(`^(run|template|version):${uuidPattern}$`);

/**
 * What an activity is measured against: every item at one channel's rate of today, or what items
 * cost per communication in another run, template or template version.
 */
export const roiBaseline = z
  .union([
    z.enum(channels),
    z.string().regex(activityBaseline, 'a channel, or run:<id>, template:<id> or version:<id>'),
  ])
  .transform((value) =>
    (channels as readonly string[]).includes(value)
      ? { kind: 'channel' as const, channel: value as (typeof channels)[number] }
      : {
          kind: value.slice(0, value.indexOf(':')) as 'run' | 'template' | 'version',
          id: value.slice(value.indexOf(':') + 1).toLowerCase(),
        },
  );
export type RoiBaseline = z.output<typeof roiBaseline>;

export const roiQuery = z.strictObject({
  baseline: roiBaseline
    .optional()
    .describe(
      'A channel (letter, fax, email, sms, portal): every item at its rate of today; or run:<id>, template:<id>, version:<id>: at what an item cost there. Letter when left out',
    ),
});

const outcomes = z
  .object({
    made: z.number().describe('Communications made, whatever became of them'),
    sent: z.number().describe('Handed to their channel (letters: printed)'),
    delivered: z.number().describe('Of those delivery finished with, sent or confirmed delivered'),
    deliveryRate: z.number().nullable().describe('Percent of those delivery finished with; null when none'),
    complaints: z.number().describe('Complaint tickets about them'),
    complaintRate: z.number().nullable().describe('Percent of those made; null when none were made'),
    contacted: z.number().describe('Communications about which the customer opened a ticket'),
    deflection: z.number().nullable().describe('Percent of those made that raised no ticket; null when none'),
    cost: z.number().describe('What the sent ones cost, each at the rate it was sent at'),
    costPerCommunication: z.number().nullable().describe('Mean cost of a sent one; null when none was sent'),
    channels: z.array(z.object({ channel: z.string(), sent: z.number(), cost: z.number() })),
  })
  .describe('RoiOutcomes');

const saving = {
  saving: z.number().nullable().describe('Baseline cost minus the actual cost; null when the baseline has no cost'),
  savingPercent: z.number().nullable().describe('The saving as a percent of the baseline cost'),
};

const activity = z.object({ kind: z.enum(['run', 'template', 'version']), id: z.uuid(), name: z.string() });

export const roiResponse = z
  .object({
    activity,
    outcomes,
    baseline: z.object({
      kind: z.enum(['channel', 'run', 'template', 'version']),
      name: z.string().describe('The channel, or the run, template or version compared with'),
      costPerCommunication: z.number().nullable().describe('What one item costs there'),
      cost: z.number().nullable().describe('What the sent items would have cost there'),
      outcomes: outcomes.nullable().describe("The compared activity's own outcomes; null for a channel"),
    }),
    ...saving,
    versions: z
      .array(z.object({ id: z.uuid(), number: z.number(), outcomes, ...saving }))
      .describe("A template's versions, each against the same baseline; empty for a run"),
  })
  .describe('Roi');
export type RoiAnswer = z.infer<typeof roiResponse>;
