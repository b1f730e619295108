import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, instant, nextCursor, pageSize } from '../http/schemas.js';
import { auditEvents } from './audit.tables.js';

// Picked from the table: the previous event's hash is the chain's business, not the reader's.
export const auditEventResponse = createSelectSchema(auditEvents)
  .pick({
    seq: true,
    at: true,
    actorId: true,
    actorLabel: true,
    action: true,
    entityType: true,
    entityId: true,
    hash: true,
  })
  .extend({ summary: z.record(z.string(), z.unknown()) })
  .describe('AuditEvent');

export const auditQuery = z.strictObject({
  actorId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  from: instant.optional(),
  to: instant.optional(),
  cursor: cursorParam,
  limit: pageSize,
});

/** What the trail is listed by, as the query leaves it (the limit defaulted). */
export type AuditFilter = z.infer<typeof auditQuery>;

export const auditPageResponse = z.object({ events: z.array(auditEventResponse), nextCursor });

export const verificationResponse = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Events checked before the first break, or all of them'),
    firstBreak: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .describe('AuditVerification');
