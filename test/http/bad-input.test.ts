import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp({ config: { bodyLimitBytes: 4096 } });
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

const userCount = async () => (await admin.get('/api/users')).body.users.length;

describe('bad input gets a clear 4xx and changes nothing', () => {
  it('malformed JSON', async () => {
    const before = await userCount();
    const response = await admin.request('POST', '/api/users', {
      payload: '{"email": "a@b.test", "name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('malformed_json');
    expect(await userCount()).toBe(before);
  });

  it('an unknown field, named in the message', async () => {
    const before = await userCount();
    const response = await admin.post('/api/users', {
      email: 'x@example.test',
      name: 'X',
      password: 'long-enough-pw',
      roles: ['viewer'],
      isSuperuser: true,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'validation_failed',
      details: [{ path: 'body.isSuperuser', message: 'is not a known field' }],
    });
    expect(await userCount()).toBe(before);
  });

  it('a mistyped field and an invalid value, each named', async () => {
    const response = await admin.post('/api/users', {
      email: 'not-an-email',
      name: 42,
      password: 'long-enough-pw',
      roles: ['emperor'],
    });
    expect(response.status).toBe(400);
    const paths = response.body.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.name', 'body.roles.0']));
    expect(response.body.message).toContain('body.email');
  });

  it('a bad query parameter and a bad path id', async () => {
    const query = await admin.get('/api/jobs?status=exploded');
    expect(query.status).toBe(400);
    expect(query.body.details[0].path).toBe('querystring.status');
    const id = await admin.get('/api/users/not-a-uuid');
    expect(id.status).toBe(400);
    expect(id.body.details[0].path).toBe('params.id');
  });

  it('an oversized body is 413', async () => {
    const before = await userCount();
    const response = await admin.post('/api/users', {
      email: 'big@example.test',
      name: 'x'.repeat(10_000),
      password: 'long-enough-pw',
      roles: ['viewer'],
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('payload_too_large');
    expect(await userCount()).toBe(before);
  });

  it('a body of the wrong media type is 415', async () => {
    const response = await admin.request('POST', '/api/teams', {
      payload: 'name=Sales',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });

  it('an unknown API route is a JSON 404', async () => {
    const response = await admin.get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('not_found');
  });
});
