import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('operations endpoints', () => {
  it('health and readiness need no sign-in', async () => {
    expect((await t.client().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.client().get('/readyz')).body).toEqual({ status: 'ready', database: t.storage.engine });
  });

  it('Prometheus metrics count requests by route and show the queue', async () => {
    await t.client().get('/api/me');
    const metrics = await t.client().get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /tidings_http_request_duration_seconds_count\{method="GET",route="\/api\/me",status="401"\} 1/,
    );
    // The next daily print batch, look for archived communications to index and KPI refresh are always scheduled.
    expect(metrics.text).toMatch(/tidings_jobs\{status="queued"\} 3/);
    expect(metrics.text).toMatch(/tidings_jobs\{status="dead"\} 0/);
  });

  it('publishes an OpenAPI document with every route and its schemas', async () => {
    const response = await t.client().get('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    for (const route of [
      '/api/auth/login',
      '/api/me',
      '/api/users',
      '/api/users/{id}',
      '/api/teams',
      '/api/tokens',
      '/api/jobs',
      '/api/audit',
      '/api/audit/verify',
    ]) {
      expect(Object.keys(document.paths)).toContain(route);
    }
    const createUser = document.paths['/api/users'].post.requestBody.content['application/json'].schema;
    expect(createUser.required).toEqual(expect.arrayContaining(['email', 'name', 'password', 'roles']));
    expect(createUser.additionalProperties).toBe(false);
    expect(document.paths['/healthz']).toBeUndefined();
  });

  it('serves a readable API reference page', async () => {
    const page = await t.client().get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/api/openapi.json');
  });
});
