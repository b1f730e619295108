import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PORTAL_COOKIE, PORTAL_COOKIE_PATH } from '../http/authenticate.js';
import { viewerOf } from './portal-viewer.js';
import { portalMeResponse, signInBody, signInRequestedResponse, startSessionBody } from './portal-auth.schemas.js';
import type { PortalAuthService } from './portal-auth.service.js';

const tags = ['Portal'];

/** Customer sign-in by single-use email link, and the portal session it opens. */
export const portalAuthRoutes: FastifyPluginAsyncZod<{ portalAuth: PortalAuthService; secureCookie: boolean }> = async (
  app,
  { portalAuth, secureCookie },
) => {
  app.post(
    '/api/portal/sign-in',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Ask for a sign-in link by email (the same answer for every address)',
        security: [],
        body: signInBody,
        response: { 202: signInRequestedResponse },
      },
    },
    async (request, reply) => reply.status(202).send(await portalAuth.requestLink(request.body, request.ip)),
  );

  app.post(
    '/api/portal/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with the token of a sign-in link (single use); sets the portal cookie',
        security: [],
        body: startSessionBody,
        response: { 200: portalMeResponse },
      },
    },
    async (request, reply) => {
      const session = await portalAuth.startSession(request.body.token);
      reply.setCookie(PORTAL_COOKIE, session.token, {
        path: PORTAL_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie,
        expires: session.expiresAt,
      });
      return session.me;
    },
  );

  app.get(
    '/api/portal/me',
    { schema: { tags, summary: 'The signed-in customer', response: { 200: portalMeResponse } } },
    async (request) => portalAuth.me(request.portalSession?.token ?? ''),
  );

  app.delete('/api/portal/session', { schema: { tags, summary: 'Sign out of the portal' } }, async (request, reply) => {
    await portalAuth.endSession(viewerOf(request));
    reply.clearCookie(PORTAL_COOKIE, { path: PORTAL_COOKIE_PATH });
    return reply.status(204).send();
  });
};
