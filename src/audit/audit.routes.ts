import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/authenticate.js';
import { pageSize } from '../http/schemas.js';
import type { AuditTrail } from './audit.service.js';

const auditEventResponse = z
  .object({
    seq: z.number().int(),
    at: z.date(),
    actorId: z.uuid().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    summary: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .describe('AuditEvent');

const verificationResponse = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Events checked before the first break, or all of them'),
    firstBreak: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .describe('AuditVerification');

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditTrail }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Browse the audit trail, newest first',
        querystring: z.strictObject({
          actorId: z.uuid().optional(),
          action: z.string().max(100).optional(),
          entityType: z.string().max(100).optional(),
          entityId: z.string().max(200).optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          before: z.coerce.number().int().positive().optional().describe('Cursor: the nextCursor of the previous page'),
          limit: pageSize,
        }),
        response: { 200: z.object({ events: z.array(auditEventResponse), nextCursor: z.number().int().nullable() }) },
      },
    },
    async (request) => audit.list(actorOf(request), request.query),
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Check the hash chain and report the first broken link',
        response: { 200: verificationResponse },
      },
    },
    async (request) => audit.verify(actorOf(request)),
  );
};
