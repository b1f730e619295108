import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';

let t: TestApp;
let staff: TestClient;
let customer: { id: string; email: string };
let portal: PortalClient;

beforeAll(async () => {
  t = await startTestApp();
  staff = await t.signedIn(['admin']);
  const created = await staff.post('/api/customers', {
    kind: 'person',
    givenName: 'Rita',
    familyName: 'Realm',
    emails: ['rita@realms.example'],
  });
  customer = { id: created.body.id, email: 'rita@realms.example' };
  portal = await portalSignIn(t, customer.email);
});
afterAll(() => t.close());

/** A client that sends exactly these headers and nothing it kept. */
const bare = (headers: Record<string, string>) => ({
  get: (url: string) => t.client().get(url, headers),
  delete: (url: string) => t.client().request('DELETE', url, { headers }),
});

describe('staff and portal are realms apart', () => {
  it('refuses a staff session and an API token on portal routes', async () => {
    const bySession = await staff.get('/api/portal/me');
    expect(bySession.status).toBe(401);
    expect(bySession.body.error).toBe('portal.sign_in_required');

    const token = await staff.post('/api/tokens', { name: 'integration' });
    expect(token.status).toBe(201);
    const byToken = await bare({ authorization: `Bearer ${token.body.secret}` }).get('/api/portal/me');
    expect(byToken.status).toBe(401);
    expect(byToken.body.error).toBe('portal.sign_in_required');
    // The same token is good on staff routes.
    expect((await bare({ authorization: `Bearer ${token.body.secret}` }).get('/api/me')).status).toBe(200);
  });

  it('refuses a portal cookie on staff routes', async () => {
    for (const url of ['/api/me', `/api/customers/${customer.id}`, '/api/communications']) {
      const answer = await portal.get(url);
      expect(answer.status, url).toBe(401);
      expect(answer.body.error, url).toBe('auth.required');
    }
  });

  it('answers a portal route for the portal cookie even when the browser also sends a staff cookie', async () => {
    const both = await bare({ cookie: `${staff.cookie}; ${portal.cookie}` }).get('/api/portal/me');
    expect(both.status).toBe(200);
    expect(both.body.customer.id).toBe(customer.id);
  });

  it('needs the session’s CSRF token for a portal write', async () => {
    const cookieOnly = await bare({ cookie: portal.cookie! }).delete('/api/portal/session');
    expect(cookieOnly.status).toBe(403);
    expect(cookieOnly.body.error).toBe('portal.csrf_failed');
    const wrong = await bare({ cookie: portal.cookie!, 'x-csrf-token': staff.csrfToken! }).delete(
      '/api/portal/session',
    );
    expect(wrong.status).toBe(403);
    // Still signed in: the refused writes changed nothing.
    expect((await portal.get('/api/portal/me')).status).toBe(200);
    expect((await portal.delete('/api/portal/session')).status).toBe(204);
    expect((await portal.get('/api/portal/me')).status).toBe(401);
  });

  it('gives staff credentials no more on any portal route than no credentials at all', async () => {
    const reference = (await staff.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const portalRoutes = Object.entries(reference.paths)
      .filter(([path]) => path.startsWith('/api/portal/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
      );
    expect(portalRoutes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/portal/me' },
        { method: 'DELETE', path: '/api/portal/session' },
      ]),
    );
    const token = (await staff.post('/api/tokens', { name: 'portal probe' })).body.secret as string;
    for (const { method, path } of portalRoutes) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const ask = (headers: Record<string, string>) =>
        t
          .client()
          .request(method as 'GET', url, { body, headers })
          .then((answer) => [answer.status, answer.body?.error]);
      const nobody = await ask({});
      expect(await ask({ cookie: staff.cookie!, 'x-csrf-token': staff.csrfToken! }), `${method} ${url}`).toEqual(
        nobody,
      );
      expect(await ask({ authorization: `Bearer ${token}` }), `${method} ${url}`).toEqual(nobody);
      if (path === '/api/portal/me') expect(nobody).toEqual([401, 'portal.sign_in_required']);
    }
  });
});
