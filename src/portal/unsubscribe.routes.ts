import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unsubscribeParams, unsubscribeResponse } from './unsubscribe.schemas.js';
import type { UnsubscribeService } from './unsubscribe.service.js';

const tags = ['Portal'];

/**
 * One-click unsubscribe (RFC 8058), public: the signed token is the permission. A mailbox provider
 * POSTs `List-Unsubscribe=One-Click` form-encoded; the web page POSTs JSON or nothing.
 */
export const unsubscribeRoutes: FastifyPluginAsyncZod<{ unsubscribe: UnsubscribeService }> = async (
  app,
  { unsubscribe },
) => {
  // Whatever the form says, the token alone decides; the body is read and set aside.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) =>
    done(null, undefined),
  );

  app.get(
    '/api/unsubscribe/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What an unsubscribe link withdraws (changes nothing: mail scanners fetch links)',
        security: [],
        params: unsubscribeParams,
        response: { 200: unsubscribeResponse },
      },
    },
    async (request) => unsubscribe.describe(request.params.token),
  );

  app.post(
    '/api/unsubscribe/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Withdraw the consent an unsubscribe link names (RFC 8058 one-click; repeat-safe)',
        security: [],
        params: unsubscribeParams,
        response: { 200: unsubscribeResponse },
      },
    },
    async (request) => unsubscribe.withdraw(request.params.token),
  );
};
