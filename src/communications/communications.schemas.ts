import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { channelSchema } from '../customers/customers.schemas.js';
import { cursorParam, instant, nextCursor } from '../http/schemas.js';
import { versionStatuses } from '../templates/templates.tables.js';
import {
  attemptOutcomes,
  batchRuns,
  batchRunStatuses,
  channelRates,
  communicationAttempts,
  communications,
  communicationStatuses,
  printBatches,
} from './communications.tables.js';

// Response shapes are picked from the tables, so a column's type is written once and a column no
// schema picks (an idempotency key, a request hash) cannot leave the server. Columns typed in
// TypeScript only (`$type`) get their enum here.

export const attemptResponse = createSelectSchema(communicationAttempts)
  .pick({ id: true, detail: true, at: true })
  .extend({
    channel: channelSchema.nullable(),
    outcome: z.enum(attemptOutcomes),
    providerResponse: z.record(z.string(), z.unknown()).nullable(),
  });

const communicationColumns = createSelectSchema(communications);

export const communicationResponse = communicationColumns
  .pick({
    id: true,
    customerId: true,
    templateId: true,
    templateVersionId: true,
    purpose: true,
    batchRunId: true,
    statusReason: true,
    address: true,
    language: true,
    deferUntil: true,
    archiveSha256: true,
    archiveMediaType: true,
    archiveSize: true,
    snapshotSha256: true,
    providerMessageId: true,
    printBatchId: true,
    costMillicents: true,
    createdBy: true,
    createdAt: true,
    sentAt: true,
    deliveredAt: true,
  })
  .extend({
    customerName: z.string(),
    templateKey: z.string(),
    templateName: z.string(),
    status: z.enum(communicationStatuses),
    channel: channelSchema.nullable(),
    channelReason: communicationColumns.shape.channelReason.describe(
      'Why routing chose the channel: "first preference", "fallback: …"',
    ),
    failedChannels: z
      .array(channelSchema)
      .describe('Channels that failed hard for this item; routing fell back past them'),
    transport: communicationColumns.shape.transport.describe(
      'Who took the item: smtp, outbox, print, portal, simulated, sms-gateway…',
    ),
  })
  .describe('Communication');

export const communicationDetailResponse = communicationResponse
  .extend({ versionNumber: z.number().int(), attempts: z.array(attemptResponse) })
  .describe('CommunicationDetail');

export const communicationPageResponse = z.object({ communications: z.array(communicationResponse), nextCursor });

export const sendBody = z.strictObject({
  template: z.string().min(1).max(64).describe('Template key or id; its published version is sent'),
  customerId: z.uuid(),
  data: z.record(z.string(), z.unknown()).optional().describe('The data the template declares'),
});

/** One communication to send now: a template (key or id) whose published version is used, a customer, its data. */
export type SendRequest = z.infer<typeof sendBody>;

export const listCommunicationsQuery = z.strictObject({
  status: z.enum(communicationStatuses).optional(),
  channel: channelSchema.optional(),
  template: z.string().max(64).optional().describe('Template key or id'),
  templateVersionId: z.uuid().optional().describe('Only communications of this template version'),
  batchRunId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  transport: z.string().max(40).optional().describe('outbox: the local outbox (no SMTP configured)'),
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type CommunicationFilter = z.infer<typeof listCommunicationsQuery>;

const rateColumns = createSelectSchema(channelRates).shape;

export const rateResponse = z
  .object({
    channel: channelSchema,
    costMillicents: rateColumns.costMillicents.describe('Thousandths of a cent per item'),
    updatedAt: rateColumns.updatedAt.nullable().describe('null: the default rate'),
  })
  .describe('ChannelRate');

export const rateBody = z.strictObject({
  costMillicents: z.number().int().min(0).max(100_000_000).describe('Thousandths of a cent per item: 7000 is 7 cents'),
});

const runColumns = createSelectSchema(batchRuns);

export const runResponse = runColumns
  .pick({
    id: true,
    templateId: true,
    scheduledAt: true,
    createdBy: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
  })
  .extend({
    templateVersionId: runColumns.shape.templateVersionId.describe('The version sent'),
    total: runColumns.shape.total.describe("How many customers the run promised: its audience's size when it started"),
    created: runColumns.shape.created.describe('How many communications it has made so far'),
    segmentId: runColumns.shape.segmentId.describe('The audience segment; null for a corrective mailing'),
    correctsVersionIds: runColumns.shape.correctsVersionIds.describe(
      'A corrective mailing: the older versions whose recipients it goes to',
    ),
    status: z
      .enum(batchRunStatuses)
      .describe('awaiting_print: every item is final but letters waiting for the print batch, which completes the run'),
  })
  .describe('BatchRun');

export const namedRunResponse = runResponse.extend({
  templateName: z.string(),
  versionNumber: z.number().int(),
  segmentName: z.string().nullable().describe('null for a corrective mailing, or once the segment is deleted'),
  correctsVersionNumbers: z.array(z.number().int()).nullable(),
});

export const runProgressResponse = namedRunResponse
  .extend({
    statuses: z.record(z.string(), z.number()),
    channels: z.record(z.string(), z.number()),
    costMillicents: z.number().int().describe('What the items handed over so far cost, in thousandths of a cent'),
    awaitingPrint: z.number().int().describe('Letters in the print queue, waiting for the next print batch'),
    done: z.number().int().describe('Items final or waiting for print'),
    percent: z.number(),
  })
  .describe('BatchRunProgress');

const scheduling = {
  data: z.record(z.string(), z.unknown()).optional(),
  scheduledAt: instant.optional(),
};

export const startRunBody = z.strictObject({ template: z.string().min(1).max(64), segmentId: z.uuid(), ...scheduling });

export const startCorrectiveRunBody = z.strictObject({
  correctsVersionIds: z.array(z.uuid()).min(1).max(50),
  versionId: z
    .uuid()
    .optional()
    .describe('The published version you mean to send; refused if another is published now'),
  ...scheduling,
});

export const versionRecipientsResponse = z
  .object({
    templateVersionId: z.uuid(),
    templateKey: z.string(),
    templateName: z.string(),
    versionNumber: z.number().int(),
    versionStatus: z.enum(versionStatuses),
    communications: z.number().int().describe('Communications of this version, in any status'),
    statuses: z.record(z.string(), z.number()),
    channels: z.record(z.string(), z.number()),
    recipients: z.number().int().describe('Customers it reached: sent, delivered, or waiting for print'),
    correction: z
      .object({ versionId: z.uuid(), versionNumber: z.number().int(), recipients: z.number().int() })
      .nullable()
      .describe('The newer published version and how many recipients a corrective mailing of it would reach'),
    correctiveRuns: z.array(
      runResponse.pick({ id: true, status: true, total: true, created: true, createdAt: true }).extend({
        versionNumber: z.number().int(),
      }),
    ),
  })
  .describe('TemplateVersionRecipients');

export const gatewayReceiptSchema = z.strictObject({
  id: z.string().min(1).max(200).describe("The gateway's message id, as it answered the hand-over"),
  status: z.enum(['delivered', 'failed']),
  permanent: z.boolean().default(true).describe('For failed: whether retrying this address is pointless'),
  detail: z.string().max(2000).optional(),
});

export type GatewayReceipt = z.infer<typeof gatewayReceiptSchema>;

export const bounceSchema = z.strictObject({
  messageId: z.string().min(3).max(300).describe('The Message-ID header of the bounced email'),
  kind: z.enum(['hard', 'soft']),
  diagnostic: z.string().max(2000).optional(),
});

export type Bounce = z.infer<typeof bounceSchema>;

export const printBatchResponse = createSelectSchema(printBatches)
  .pick({ id: true, items: true, pages: true, pdfSha256: true, manifestSha256: true, createdBy: true, createdAt: true })
  .extend({ folderName: z.string().nullable().describe("The batch's folder within the server's print folder") })
  .describe('PrintBatch');

export const printBatchOutcome = z
  .object({ printBatch: printBatchResponse.nullable(), message: z.string() })
  .describe('PrintBatchOutcome');
