import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import { AppError } from '../shared/errors.js';

export const WEBDAV_REALM = 'Basic realm="Tidings WebDAV", charset="UTF-8"';

/** What a read-scoped API token may do over WebDAV: look, never change. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND']);

const refused = () =>
  new AppError(
    'unauthenticated',
    'webdav.sign_in_required',
    'Sign in with your email address as the user name and an API token as the password.',
  );

/** The user name and password of a Basic authorization, or undefined when it is not one. */
function basicCredentials(header: string) {
  const [scheme, encoded] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * WebDAV clients speak HTTP Basic: the user's email as the user name and one of their API tokens as
 * the password (a bearer token works too). The token is checked as for the API, and must belong to
 * the user named; a read-scoped token may only read. Sets the request's actor and principal.
 */
export async function authenticateWebdav(request: FastifyRequest, auth: Pick<AuthService, 'authenticateApiToken'>) {
  const header = request.headers.authorization;
  if (!header) throw refused();
  const basic = basicCredentials(header);
  const [scheme, bearer] = header.split(' ');
  const secret = basic?.password ?? (scheme?.toLowerCase() === 'bearer' ? bearer : undefined);
  const principal = secret ? await auth.authenticateApiToken(secret) : undefined;
  if (!principal || (basic && basic.user.trim().toLowerCase() !== principal.user.email.toLowerCase())) throw refused();
  if (principal.scope === 'read' && !READ_METHODS.has(request.method))
    throw new AppError('forbidden', 'auth.token_read_only', 'This API token is read-only: it may only read the share.');
  request.actor = principal.actor;
  request.principal = principal;
}
