import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let staffEmail: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signedIn(['admin']);
  const member = await t.createUser(['agent']);
  staffEmail = member.email;
  const team = await admin.post('/api/teams', { name: 'Complaints desk', memberIds: [member.id] });
  expect(team.status).toBe(201);
});
afterAll(() => t.close());

/** The same path with its first letter percent-encoded, as the router decodes it: /api/x → /%61pi/x. */
const encoded = (path: string) => `/%${path.charCodeAt(1).toString(16)}${path.slice(2)}`;

/**
 * Routes anyone may call: signing in (staff, and portal customers by email link), the signed gateway
 * receipts, the help centre's public articles, the portal's brand, and signed unsubscribe links.
 */
const publicRoutes = new Set([
  'POST /api/auth/login',
  'POST /api/portal/sign-in',
  'POST /api/portal/session',
  'GET /api/portal/brand',
  'GET /api/portal/brand/logo',
  'GET /api/unsubscribe/{token}',
  'POST /api/unsubscribe/{token}',
  'POST /api/delivery/gateway-receipts',
  'GET /api/help/categories',
  'GET /api/help/articles',
  'GET /api/help/search',
  'GET /api/help/articles/{slug}',
  'POST /api/help/articles/{slug}/feedback',
]);

describe('without a session or token', () => {
  it('refuses percent-encoded API paths like the plain ones, and shows no staff', async () => {
    for (const path of ['/api/teams', '/api/brand', '/api/customer-attributes', '/api/users']) {
      for (const url of [path, encoded(path), path.replace('/teams', '/te%61ms')]) {
        const response = await t.client().get(url);
        expect(response.status, url).toBe(401);
        expect(response.body.error, url).toBe('auth.required');
        expect(response.text, url).not.toContain(staffEmail);
        expect(response.text, url).not.toContain('Complaints desk');
      }
    }
  });

  it('refuses every route of the API that is not declared public, by every method, plain and encoded', async () => {
    const document = t.server.swagger() as { paths: Record<string, Record<string, unknown>> };
    const checked: string[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const method of Object.keys(operations).map((name) => name.toUpperCase())) {
        if (publicRoutes.has(`${method} ${template}`)) continue;
        for (const url of [path, encoded(path)]) {
          const response = await t.client().request(method as 'GET', url);
          expect(response.status, `${method} ${url}`).toBe(401);
        }
        checked.push(`${method} ${template}`);
      }
    }
    expect(checked.length).toBeGreaterThan(50);
  });

  it('answers a path no route serves with a 404 that holds no data', async () => {
    for (const url of ['/api/no-such-thing', encoded('/api/no-such-thing'), '/%61pi/te%61ms/extra/depth']) {
      const response = await t.client().get(url);
      expect(response.status, url).toBe(404);
      expect(response.body.error, url).toBe('not_found');
    }
  });
});

describe('security headers', () => {
  it('sends the content security policy, nosniff and a referrer policy on pages, API answers and refusals', async () => {
    for (const url of ['/', '/healthz', '/api/me', encoded('/api/teams')]) {
      const { headers } = await t.client().get(url);
      const policy = String(headers['content-security-policy']);
      expect(policy, url).toContain("script-src 'self'");
      expect(policy, url).toContain("object-src 'none'");
      expect(policy, url).toContain("base-uri 'self'");
      expect(policy, url).toMatch(/frame-ancestors '(self|none)'/);
      expect(headers['x-content-type-options'], url).toBe('nosniff');
      expect(headers['referrer-policy'], url).toBe('same-origin');
    }
  });

  it("lets only the API reference's own inline script run there, by its nonce", async () => {
    const docs = await t.client().get('/api/docs/');
    expect(docs.status).toBe(200);
    const nonce = /<script[^>]* nonce="([^"]+)"[^>]*>\s*Scalar\.createApiReference/.exec(docs.text)?.[1];
    expect(nonce).toBeTruthy();
    expect(String(docs.headers['content-security-policy'])).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(String((await t.client().get('/')).headers['content-security-policy'])).not.toContain('nonce-');
  });
});
