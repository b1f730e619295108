import type { Role } from '../../src/auth/roles.js';
import type { TestApp } from '../support/app.js';
import { TEST_PASSWORD } from '../support/app.js';
import { TestClient } from '../support/client.js';

export type DavResponse = { status: number; headers: Record<string, unknown>; text: string };

/** Speaks WebDAV to the app as a desktop client does: HTTP Basic with the email and an API token. */
export class DavClient {
  constructor(
    readonly t: TestApp,
    readonly authorization: string,
  ) {}

  async request(
    method: string,
    url: string,
    options: { body?: string | Buffer; headers?: Record<string, string> } = {},
  ) {
    const response = await this.t.server.inject({
      method: method as 'GET',
      url,
      headers: { authorization: this.authorization, ...options.headers },
      ...(options.body !== undefined ? { payload: options.body } : {}),
    });
    return { status: response.statusCode, headers: response.headers, text: response.body } satisfies DavResponse;
  }
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * A new user with these roles, an API token of theirs (made through the API, as a person would),
 * a WebDAV client signed in with both, and an API client signed in with their password.
 */
export async function signedInToken(t: TestApp, roles: Role[], scope: 'full' | 'read' = 'full') {
  const user = await t.createUser(roles);
  const api = await new TestClient(t.server).signIn(user.email, TEST_PASSWORD);
  const created = await api.post('/api/tokens', { name: 'WebDAV', scope });
  if (created.status !== 201) throw new Error(`token: ${created.status} ${created.text}`);
  const secret: string = created.body.secret;
  return { user, secret, api, client: new DavClient(t, basic(user.email, secret)) };
}
