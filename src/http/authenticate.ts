import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principals.service.js';
import type { PortalAuthService } from '../portal/portal-auth.service.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';

export const SESSION_COOKIE = 'tidings_session';
export const CSRF_HEADER = 'x-csrf-token';
/** The customer portal's session: a cookie of its own, sent only to the portal's API. */
export const PORTAL_COOKIE = 'tidings_portal';
export const PORTAL_COOKIE_PATH = '/api/portal';
const PORTAL_ROUTES = `${PORTAL_COOKIE_PATH}/`;

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    /** The signed-in user behind the actor, with their teams: /api/me answers from it. */
    principal?: Principal;
    session?: { token: string; csrfToken: string };
    /** The portal cookie's session, on portal routes only (the viewer is `portalViewer`). */
    portalSession?: { token: string; csrfToken: string };
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
 * Which realm the route that will answer belongs to, if it needs a caller. Decided on the matched
 * route, never on the raw URL (the router decodes `/%61pi/teams` to `/api/teams`): every route under
 * /api is private unless its config says public, and those under /api/portal/ are the customers'.
 * Unmatched requests go to the not-found handler, which serves no data.
 */
function realmOf(request: FastifyRequest): 'staff' | 'portal' | undefined {
  const { url, config } = request.routeOptions;
  if (url === undefined || !url.startsWith('/api/') || config?.public === true) return undefined;
  return url.startsWith(PORTAL_ROUTES) ? 'portal' : 'staff';
}

/** Writes made with a cookie must echo its session's CSRF token in a header. */
function checkCsrf(request: FastifyRequest, csrfToken: string, code: string) {
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== csrfToken)
    throw new AppError('forbidden', code, `Missing or wrong ${CSRF_HEADER} header for a signed-in write.`);
}

/**
 * A portal route answers only a portal session. Staff cookies and API tokens are not read there (a
 * staff member's browser sends its cookie everywhere), so they never make a portal viewer, and the
 * hook never sets an actor.
 */
async function authenticateViewer(request: FastifyRequest, portal: Pick<PortalAuthService, 'authenticate'>) {
  const token = request.cookies[PORTAL_COOKIE];
  const found = token ? await portal.authenticate(token) : undefined;
  if (!token || !found)
    throw new AppError('unauthenticated', 'portal.sign_in_required', 'Sign in to the portal first.');
  checkCsrf(request, found.csrfToken, 'portal.csrf_failed');
  request.portalViewer = found.viewer;
  request.portalSession = { token, csrfToken: found.csrfToken };
}

/**
 * Resolves the caller before the body is parsed: on staff routes from a bearer API token or the
 * staff session cookie (the portal cookie is never read there), on portal routes from the portal
 * cookie alone. Writes made with a cookie must echo its session's CSRF token in a header.
 */
export function installAuthentication(
  app: FastifyInstance,
  auth: Pick<AuthService, 'authenticateSession' | 'authenticateApiToken'>,
  portal: Pick<PortalAuthService, 'authenticate'>,
) {
  app.addHook('onRequest', async (request) => {
    const realm = realmOf(request);
    if (!realm) return;
    if (realm === 'portal') return authenticateViewer(request, portal);
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
    checkCsrf(request, session.csrfToken, 'auth.csrf_failed');
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
