import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { channels } from '../customers/customers.tables.js';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { ticketSlaResponse } from './sla/sla.schemas.js';
import { ticketActions } from './ticket-lifecycle.js';
import {
  assignmentRules,
  ticketKinds,
  ticketLinks,
  ticketLinkTargets,
  ticketMessageKinds,
  ticketMessages,
  ticketPriorities,
  ticketQueues,
  tickets,
  ticketSources,
  ticketStatuses,
} from './tickets.tables.js';

const subject = z.string().trim().min(1).max(300);
const messageText = z.string().trim().min(1).max(100_000);
const tag = z.string().trim().min(1).max(50);

export const ticketStatusSchema = z.enum(ticketStatuses);

export const createTicketBody = z.strictObject({
  kind: z.enum(ticketKinds),
  subject,
  customerId: z.uuid(),
  contactId: z.uuid().optional(),
  source: z.enum(ticketSources).default('api').describe('Where the customer raised it'),
  queueId: z.uuid().optional().describe('Assigned by the queue rule when the queue uses round-robin'),
  assigneeId: z.uuid().optional(),
  priority: z.enum(ticketPriorities).default('normal'),
  tags: z.array(tag).max(20).default([]),
  communicationId: z.uuid().optional().describe('The communication this is about; a complaint names it'),
  message: messageText.optional().describe("The customer's words, as the first message"),
});
export type CreateTicketInput = z.infer<typeof createTicketBody>;

export const updateTicketBody = z
  .strictObject({
    kind: z.enum(ticketKinds),
    subject,
    contactId: z.uuid().nullable(),
    queueId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    priority: z.enum(ticketPriorities),
    tags: z.array(tag).max(20),
    communicationId: z.uuid().nullable(),
  })
  .partial();
export type UpdateTicketInput = z.infer<typeof updateTicketBody>;

export const ticketActionBody = z.strictObject({ action: z.enum(ticketActions) });

/** What may be attached to a reply or a note: documents and pictures people send, nothing a browser would run. */
export const attachmentMediaTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
] as const;

export const ticketAttachment = z
  .strictObject({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
    filename: z.string().trim().min(1).max(200),
    mediaType: z.enum(attachmentMediaTypes),
    size: z.number().int().min(1),
  })
  .describe('TicketAttachment');

/** Inbound mail brings whatever the customer attached, so an answer names any media type. */
export const attachmentResponse = z
  .object({ sha256: z.string(), filename: z.string(), mediaType: z.string(), size: z.number().int() })
  .describe('Attachment');

const attachments = z
  .array(ticketAttachment)
  .max(10)
  .default([])
  .describe('Files uploaded before with POST /api/tickets/attachments');

export const attachmentUploadQuery = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'must be a file name without folders')
    .describe('The file name the customer or the agent sees'),
});

export const attachmentParams = z.strictObject({
  id: z.uuid(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
});

export const noteBody = z.strictObject({
  body: messageText,
  mentions: z.array(z.uuid()).max(50).default([]).describe('Staff to notify'),
  attachments,
});

export const replyBody = z.strictObject({
  body: messageText.describe("The agent's answer, in Markdown"),
  channel: z
    .enum(channels)
    .optional()
    .describe("The one channel the reply goes by; without it, the customer's preference decides"),
  attachments,
});

export const customerMessageBody = z.strictObject({
  body: messageText.describe('What the customer said or wrote'),
});

export const mergeBody = z.strictObject({ intoTicketId: z.uuid() });

export const splitBody = z.strictObject({
  messageId: z.uuid().describe('The customer message that becomes a ticket of its own'),
  subject: subject.optional(),
});

export const linkBody = z.strictObject({ targetType: z.enum(ticketLinkTargets), targetId: z.uuid() });

export const ticketViews = ['all', 'mine', 'team', 'unassigned', 'breaching', 'breached'] as const;

export const listTicketsQuery = z.strictObject({
  view: z
    .enum(ticketViews)
    .default('all')
    .describe(
      "mine: assigned to me; team: my teams' queues; unassigned; breaching: an SLA target falls due within the hour; breached: one is past due, not met",
    ),
  status: z
    .string()
    .max(200)
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const statuses = value.split(',').map((part) => part.trim());
      const unknown = statuses.filter((status) => !(ticketStatuses as readonly string[]).includes(status));
      if (unknown.length > 0) {
        context.addIssue({ code: 'custom', message: `unknown status ${unknown.join(', ')}` });
        return z.NEVER;
      }
      return statuses as (typeof ticketStatuses)[number][];
    })
    .describe(`Comma-separated: ${ticketStatuses.join(', ')}`),
  kind: z.enum(ticketKinds).optional(),
  priority: z.enum(ticketPriorities).optional(),
  queueId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  communicationId: z.uuid().optional(),
  templateVersionId: z.uuid().optional(),
  q: z.string().trim().max(200).optional().describe('Words of the subject, or a ticket number'),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;

export const ticketResponse = createSelectSchema(tickets)
  .extend({
    kind: z.enum(ticketKinds),
    status: z.enum(ticketStatuses),
    priority: z.enum(ticketPriorities),
    source: z.enum(ticketSources),
    customerName: z.string(),
    queueName: z.string().nullable(),
    assigneeName: z.string().nullable(),
    actions: z.array(z.enum(ticketActions)).describe('The status changes this ticket allows now'),
    sla: ticketSlaResponse,
  })
  .describe('Ticket');

export const ticketMessageResponse = createSelectSchema(ticketMessages)
  .extend({
    kind: z.enum(ticketMessageKinds),
    attachments: z.array(attachmentResponse),
  })
  .describe('TicketMessage');

export const ticketLinkResponse = createSelectSchema(ticketLinks).omit({ ticketId: true }).describe('TicketLink');

export const concernedCommunicationResponse = z
  .object({
    id: z.uuid(),
    archiveSha256: z.string().nullable(),
    status: z.string(),
    channel: z.string().nullable(),
    templateName: z.string(),
    templateVersionNumber: z.number().int(),
    archiveMediaType: z.string().nullable(),
    sentAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .describe('ConcernedCommunication');

export const ticketDetailResponse = ticketResponse
  .extend({
    messages: z.array(ticketMessageResponse),
    links: z.array(ticketLinkResponse),
    communication: concernedCommunicationResponse.nullable(),
  })
  .describe('TicketDetail');

export const ticketsPageResponse = z.object({ tickets: z.array(ticketResponse), nextCursor });

export const ticketCountsResponse = z
  .object({
    mine: z.number().int(),
    team: z.number().int(),
    unassigned: z.number().int(),
    all: z.number().int(),
    breaching: z.number().int().describe('An SLA target falls due within the hour'),
    breached: z.number().int().describe('An SLA target is past due and not met'),
  })
  .describe('Open tickets per inbox view');

const queueFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000),
  teamId: z.uuid().nullable().describe('The team whose members work the queue'),
  leadUserId: z.uuid().nullable().describe('Hears of breaches'),
  assignment: z.enum(assignmentRules).describe('round_robin: new tickets go to available team members in turn'),
};

export const queueBody = z.strictObject({
  ...queueFields,
  description: queueFields.description.default(''),
  teamId: queueFields.teamId.default(null),
  leadUserId: queueFields.leadUserId.default(null),
  assignment: queueFields.assignment.default('manual'),
});

export const updateQueueBody = z.strictObject(queueFields).partial();

export type QueueInput = z.infer<typeof queueBody>;

export const queueResponse = createSelectSchema(ticketQueues)
  .omit({ lastAssignedUserId: true })
  .describe('TicketQueue');

export const availabilityBody = z.strictObject({ available: z.boolean() });
