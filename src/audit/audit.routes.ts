import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { auditPageResponse, auditQuery, verificationResponse } from './audit.schemas.js';
import type { AuditTrail } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditTrail }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Browse the audit trail, newest first',
        querystring: auditQuery,
        response: { 200: auditPageResponse },
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
