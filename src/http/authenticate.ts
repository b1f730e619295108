import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principals.service.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';

export const SESSION_COOKIE = 'tidings_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    /** The signed-in user behind the actor, with their teams: /api/me answers from it. */
    principal?: Principal;
    session?: { token: string; csrfToken: string };
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without signing in. */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a read-scoped API token may do. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether the route that will answer needs a caller. Decided on the matched route, never on the raw
 * URL (the router decodes `/%61pi/teams` to `/api/teams`): every route under /api is private unless
 * its config says public. Unmatched requests go to the not-found handler, which serves no data.
 */
function needsCaller(request: FastifyRequest): boolean {
  const { url, config } = request.routeOptions;
  return url !== undefined && url.startsWith('/api/') && config?.public !== true;
}

/**
 * Resolves the caller from a bearer API token or the session cookie before the body is parsed.
 * Writes made with the cookie must echo the session's CSRF token in a header.
 */
export function installAuthentication(
  app: FastifyInstance,
  auth: Pick<AuthService, 'authenticateSession' | 'authenticateApiToken'>,
) {
  app.addHook('onRequest', async (request) => {
    if (!needsCaller(request)) return;
    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, secret] = authorization.split(' ');
      const token = scheme?.toLowerCase() === 'bearer' && secret ? await auth.authenticateApiToken(secret) : undefined;
      if (!token)
        throw new AppError('unauthenticated', 'auth.invalid_token', 'The API token is not valid, expired or revoked.');
      if (token.scope === 'read' && !READ_METHODS.has(request.method)) {
        throw new AppError(
          'forbidden',
          'auth.token_read_only',
          `This API token is read-only: it may only ${[...READ_METHODS].join(' or ')}.`,
        );
      }
      request.actor = token.actor;
      request.principal = token;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await auth.authenticateSession(token) : undefined;
    if (!token || !session) {
      throw new AppError('unauthenticated', 'auth.required', 'Sign in first: this needs a session or an API token.');
    }
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError(
        'forbidden',
        'auth.csrf_failed',
        `Missing or wrong ${CSRF_HEADER} header for a signed-in write.`,
      );
    }
    request.actor = session.actor;
    request.principal = session;
    request.session = { token, csrfToken: session.csrfToken };
  });
}

/** The authenticated caller; every non-public route has one by the time its handler runs. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'auth.required', 'Sign in first.');
  return request.actor;
}

/** The signed-in user as resolved when the request came in. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'auth.required', 'Sign in first.');
  return request.principal;
}
