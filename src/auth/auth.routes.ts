import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, actorOf, principalOf } from '../http/authenticate.js';
import { keptAnswers } from '../http/kept-answers.js';
import { idParam } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import type { AuthService } from './auth.service.js';
import type { Principal } from './principals.service.js';
import {
  apiTokenResponse,
  changePasswordBody,
  createApiTokenBody,
  createdApiTokenResponse,
  loginBody,
  sessionResponse,
} from './auth.schemas.js';
import type { TokensService } from './tokens.service.js';

type Services = { auth: AuthService; tokens: TokensService; secureCookies: boolean };

export const authRoutes: FastifyPluginAsyncZod<Services> = async (app, { auth, tokens, secureCookies }) => {
  /** /api/me answers from the principal alone, which stays the same object while it is cached. */
  const sendMe = keptAnswers((principal: Principal) => ({
    user: principal.user,
    csrfToken: principal.via === 'session' ? principal.csrfToken : null,
  }));

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['Auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: loginBody,
        response: { 200: sessionResponse },
      },
    },
    async (request, reply) => {
      const session = await auth.login(request.body, request.ip);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        expires: session.expiresAt,
      });
      // Read as every later request reads it, which also keeps it for them.
      const principal = await auth.authenticateSession(session.token);
      // Only a user disabled in the meantime has none.
      if (!principal)
        throw new AppError('unauthenticated', 'auth.invalid_credentials', 'The email or password is not correct.');
      return { user: principal.user, csrfToken: session.csrfToken };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['Auth'], summary: 'Sign out' } }, async (request, reply) => {
    if (request.session) await auth.logout(actorOf(request), request.session.token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['Auth'],
        summary: 'The signed-in user',
        response: { 200: sessionResponse.extend({ csrfToken: z.string().nullable() }) },
      },
    },
    async (request, reply) => sendMe(reply, principalOf(request)),
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Change your password (signs out your other sessions)',
        body: changePasswordBody,
      },
    },
    async (request, reply) => {
      await auth.changePassword(actorOf(request), request.body, request.session?.token);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['API tokens'],
        summary: 'Your active API tokens (admins: all with ?all=true)',
        querystring: z.strictObject({ all: z.enum(['true', 'false']).default('false') }),
        response: {
          200: z.object({
            tokens: z.array(apiTokenResponse),
            maxLifeDays: z.number().int().describe('The longest a new token may live'),
          }),
        },
      },
    },
    async (request) => ({
      tokens: await tokens.list(actorOf(request), { all: request.query.all === 'true' }),
      maxLifeDays: tokens.maxLifeDays,
    }),
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['API tokens'],
        summary: 'Create an API token acting as you',
        body: createApiTokenBody,
        response: { 201: createdApiTokenResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await tokens.create(actorOf(request), request.body)),
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags: ['API tokens'], summary: 'Revoke an API token', params: idParam } },
    async (request, reply) => {
      await tokens.revoke(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
