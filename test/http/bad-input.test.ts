import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, duplicateDismissals } from '../../src/customers/customers.tables.js';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TestClient } from '../support/client.js';

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

const pathsOf = (body: { details: { path: string }[] }) => body.details.map((detail) => detail.path);

describe('text no column could hold is refused where it enters, naming the field', () => {
  it('a NUL in a query value', async () => {
    const response = await admin.get('/api/customers?q=a%00b');
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('input.unstorable_text');
    expect(pathsOf(response.body)).toEqual(['querystring.q']);
  });

  it('a NUL in the sign-in body, before anyone is signed in', async () => {
    const response = await t.client().post('/api/auth/login', { email: 'a\u0000@example.test', password: 'x' });
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['body.email']);
  });

  it('a lone surrogate in a body string, and in a field name', async () => {
    const rule = { purpose: 'marketing', kind: 'forbidden_phrase', params: { phrases: ['free'] } };
    const description = await admin.post('/api/compliance-rules', { ...rule, description: 'Broken \ud800 text' });
    expect(description.status).toBe(400);
    expect(pathsOf(description.body)).toEqual(['body.description']);
    const key = await admin.post('/api/compliance-rules', { ...rule, description: 'ok', params: { 'a\udc00': 1 } });
    expect(key.status).toBe(400);
    expect(key.body.details).toEqual([{ path: 'body.params', message: expect.stringContaining('field name') }]);
  });

  it('a NUL in a path value and in a header', async () => {
    const path = await admin.get('/api/templates/a%00b');
    expect(path.status).toBe(400);
    expect(pathsOf(path.body)).toEqual(['params.template']);
    const header = await admin.post('/api/communications', {}, { 'idempotency-key': 'key\u0000' });
    expect(header.status).toBe(400);
    expect(pathsOf(header.body)).toEqual(['headers.idempotency-key']);
  });

  it('a NUL in a JSON body sent as text', async () => {
    const response = await admin.request('POST', '/api/teams', {
      payload: '{"name":"Sales\\u0000"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['body.name']);
  });
});

describe('unknown references are 404s', () => {
  it('an export of a segment that does not exist, as CSV and as vCards', async () => {
    for (const file of ['export.csv', 'export.vcf']) {
      const response = await admin.get(`/api/customers/${file}?segment=${randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.body.error).toBe('segment.not_found');
    }
  });

  it('dismissing a duplicate pair of customers that do not exist', async () => {
    const missing = randomUUID();
    const response = await admin.post('/api/customers/duplicates/dismiss', { customerIds: [missing, randomUUID()] });
    expect(response.status).toBe(404);
    expect(pathsOf(response.body)).toEqual(['body.customerIds']);
  });
});

describe('values the database refuses are 4xx naming the column where it says which', () => {
  let server: ReturnType<typeof Fastify>;
  beforeAll(async () => {
    // Queries a service did not guard, failing in the real database, mapped by the one error handler.
    const { db } = t.app.storage;
    server = Fastify();
    installErrorHandler(server);
    server.post('/unknown-reference', async () =>
      db.insert(duplicateDismissals).values({ customerA: randomUUID(), customerB: randomUUID(), dismissedBy: 'test' }),
    );
    server.post('/duplicate', async () => {
      const [customer] = await db.insert(customers).values({ kind: 'person', name: 'Twice' }).returning();
      await db.insert(customers).values({ id: customer!.id, kind: 'person', name: 'Twice again' });
    });
    server.post('/malformed', async () => db.execute(sql`select ${'not-a-uuid'}::uuid`));
    server.post('/out-of-range', async () => db.execute(sql`select ${'99999999999'}::integer`));
    await server.ready();
  });
  afterAll(() => server.close());

  it('a foreign key to nothing is 404, a duplicate key 409, a malformed or too large value 400', async () => {
    const client = new TestClient(server);
    const reference = await client.post('/unknown-reference');
    expect(reference.status).toBe(404);
    expect(reference.body).toMatchObject({ error: 'reference.not_found', details: [{ path: 'body.customerA' }] });
    const duplicate = await client.post('/duplicate');
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: 'conflict.duplicate', details: [{ path: 'body.id' }] });
    for (const route of ['/malformed', '/out-of-range']) {
      const response = await client.post(route);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('validation_failed');
    }
  });
});

describe('other malformed input', () => {
  it('a logo that is not an image is 415, whatever the body', async () => {
    for (const [type, payload] of [
      ['application/json', '{"logo":"x"}'],
      ['text/plain', 'a logo'],
    ]) {
      const response = await admin.request('PUT', '/api/brand/logo', { payload, headers: { 'content-type': type! } });
      expect(response.status).toBe(415);
    }
    expect((await admin.request('PUT', '/api/brand/logo')).status).toBe(415);
  });

  it('a cursor no list gave out is 400 on every paged list', async () => {
    const customer = await admin.post('/api/customers', { kind: 'person', givenName: 'Paged', familyName: 'Person' });
    expect(customer.status).toBe(201);
    const forged = Buffer.from('["2026-13-45 99:00:00+00","not-an-id"]').toString('base64url');
    for (const list of [
      '/api/customers',
      '/api/communications',
      '/api/jobs',
      '/api/audit',
      `/api/customers/${customer.body.id}/timeline`,
    ]) {
      for (const cursor of ['garbage', forged, Buffer.from('[1]').toString('base64url')]) {
        const response = await admin.get(`${list}?cursor=${cursor}`);
        expect(response.status, `${list}?cursor=${cursor}`).toBe(400);
        expect(pathsOf(response.body)).toEqual(['querystring.cursor']);
      }
    }
  });

  it('a segment filter comparing with a list names the value', async () => {
    const response = await admin.post('/api/segments/evaluate', {
      filter: { attributes: [{ key: 'contract_value', op: 'gt', value: [1, 2] }] },
    });
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['body.filter.attributes.0.value']);
  });
});
