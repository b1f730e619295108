import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { inboundMessages, inboundOutcomes, inboundStatuses } from './inbound.tables.js';

export const inboundMessageResponse = createSelectSchema(inboundMessages)
  .pick({
    id: true,
    rawSha256: true,
    size: true,
    mailFrom: true,
    recipients: true,
    messageId: true,
    fromAddress: true,
    subject: true,
    ticketId: true,
    communicationId: true,
    detail: true,
    receivedAt: true,
    processedAt: true,
  })
  .extend({ status: z.enum(inboundStatuses), outcome: z.enum(inboundOutcomes).nullable() })
  .describe('InboundMessage');

export const listInboundQuery = z.strictObject({
  status: z.enum(inboundStatuses).optional(),
  outcome: z.enum(inboundOutcomes).optional(),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListInboundQuery = z.infer<typeof listInboundQuery>;

export const inboundListResponse = z.object({ messages: z.array(inboundMessageResponse), nextCursor });
