import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';
import { portalDesk } from './support.js';

/**
 * OWASP ASVS V8.2.2 / V8.2.3: a signed-in customer asking for another customer's communication,
 * archived copy, ticket or attachment by id gets 404, and no list holds another's items. Table-driven
 * from the OpenAPI document: every route under /api/portal/ needs a case here, so a new portal route
 * without one fails this test.
 */

type Holdings = {
  id: string;
  email: string;
  name: string;
  client: PortalClient;
  letter: string;
  ticket: string;
  attached: string;
  upload: string;
};

let t: TestApp;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let ann: Holdings;
let bob: Holdings;
let routes: string[];

/** A customer with a letter, a complaint about it carrying a file, and an upload not yet attached. */
async function customerWithHoldings(): Promise<Holdings> {
  const customer = await desk.customer({ channelPreferences: ['letter'] });
  const letter = await desk.send(customer.id);
  await desk.prefer(customer.id, 'email');
  const client = await portalSignIn(t, customer.email);
  const upload = async (text: string) => {
    const uploaded = await client.request('POST', '/api/portal/attachments?filename=note.txt', {
      payload: text,
      headers: { 'content-type': 'text/plain' },
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    return uploaded.body.sha256 as string;
  };
  const attached = await upload(`evidence of ${customer.email}`);
  const ticket = await client.post('/api/portal/tickets', {
    kind: 'complaint',
    subject: 'Wrong letter',
    body: 'Not mine.',
    communicationId: letter,
    attachments: [attached],
  });
  expect(ticket.status, ticket.text).toBe(201);
  return {
    ...customer,
    client,
    letter,
    ticket: ticket.body.id,
    attached,
    upload: await upload(`draft of ${customer.email}`),
  };
}

beforeAll(async () => {
  t = await startTestApp();
  desk = await portalDesk(t);
  ann = await customerWithHoldings();
  bob = await customerWithHoldings();
  const document = (await t.client().get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/portal/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  // Two customers signed in through the real flow, each with a letter, a complaint and files: slow on a busy machine.
}, 180_000);
afterAll(() => t.close());

/** Nothing of bob's in what ann was answered. */
const holdsNothingOf = (text: string, other: Holdings) => {
  for (const mark of [other.id, other.email, other.name, other.letter, other.ticket, other.attached, other.upload])
    expect(text).not.toContain(mark);
};

/** A 404 for another's record reads as one for a record that never existed. */
const notThere = async (
  response: { status: number; body: { error: string } },
  unknown: () => Promise<{ body: { error: string } }>,
) => {
  expect(response.status).toBe(404);
  expect(response.body.error).toBe((await unknown()).body.error);
};

const unknownId = '00000000-0000-4000-8000-000000000000';

const staffTicket = async (id: string) => (await desk.agent.get(`/api/tickets/${id}`)).body;
const staffCustomer = async (id: string) => (await desk.agent.get(`/api/customers/${id}`)).body;

/** One case per portal route: ann reaches for bob's records, or ann's answer is checked for bob's. */
const cases: Record<string, () => Promise<void>> = {
  'GET /api/portal/brand': async () => {
    const seen = await ann.client.get('/api/portal/brand');
    expect(Object.keys(seen.body).sort()).toEqual(['accentColor', 'companyName', 'logoUrl', 'primaryColor']);
    expect(seen.body).toEqual((await t.client().get('/api/portal/brand')).body);
  },
  'GET /api/portal/brand/logo': async () => {
    const seen = await ann.client.get('/api/portal/brand/logo');
    const anonymous = await t.client().get('/api/portal/brand/logo');
    expect([seen.status, seen.text]).toEqual([anonymous.status, anonymous.text]);
  },
  'GET /api/portal/inbox': async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await ann.client.get(
        `/api/portal/inbox?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.body.items.map((item) => item.id));
      holdsNothingOf(JSON.stringify(page.body), bob);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toContain(ann.letter);
    expect(ids).not.toContain(bob.letter);
  },
  'GET /api/portal/communications/{id}': async () => {
    await notThere(await ann.client.get(`/api/portal/communications/${bob.letter}`), () =>
      ann.client.get(`/api/portal/communications/${unknownId}`),
    );
  },
  'GET /api/portal/communications/{id}/copy': async () => {
    for (const query of ['', '?download=1'])
      await notThere(await ann.client.get(`/api/portal/communications/${bob.letter}/copy${query}`), () =>
        ann.client.get(`/api/portal/communications/${unknownId}/copy`),
      );
    const admin = await t.signedIn(['admin']);
    expect(
      (await admin.get(`/api/audit?action=communication.copy_downloaded&entityId=${bob.letter}`)).body.events,
    ).toEqual([]);
  },
  'GET /api/portal/tickets': async () => {
    const listed = await ann.client.get('/api/portal/tickets?limit=100');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([ann.ticket]);
    holdsNothingOf(listed.text, bob);
  },
  'POST /api/portal/tickets': async () => {
    const about = await ann.client.post('/api/portal/tickets', {
      kind: 'complaint',
      subject: 'About a letter',
      body: 'x',
      communicationId: bob.letter,
    });
    await notThere(about, () =>
      ann.client.post('/api/portal/tickets', {
        kind: 'complaint',
        subject: 's',
        body: 'x',
        communicationId: unknownId,
      }),
    );
    const withFile = await ann.client.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'With a file',
      body: 'x',
      attachments: [bob.upload],
    });
    await notThere(withFile, () =>
      ann.client.post('/api/portal/tickets', {
        kind: 'request',
        subject: 's',
        body: 'x',
        attachments: ['f'.repeat(64)],
      }),
    );
    expect((await desk.agent.get(`/api/tickets?communicationId=${bob.letter}`)).body.tickets).toHaveLength(1);
  },
  'GET /api/portal/tickets/{id}': async () => {
    await notThere(await ann.client.get(`/api/portal/tickets/${bob.ticket}`), () =>
      ann.client.get(`/api/portal/tickets/${unknownId}`),
    );
  },
  'POST /api/portal/tickets/{id}/messages': async () => {
    const before = (await staffTicket(bob.ticket)).messages.length;
    await notThere(await ann.client.post(`/api/portal/tickets/${bob.ticket}/messages`, { body: 'Hello Bob' }), () =>
      ann.client.post(`/api/portal/tickets/${unknownId}/messages`, { body: 'x' }),
    );
    const onOwn = await ann.client.post(`/api/portal/tickets/${ann.ticket}/messages`, {
      body: 'x',
      attachments: [bob.upload],
    });
    expect(onOwn.status).toBe(404);
    expect((await staffTicket(bob.ticket)).messages).toHaveLength(before);
  },
  'GET /api/portal/tickets/{id}/attachments/{sha256}': async () => {
    await notThere(await ann.client.get(`/api/portal/tickets/${bob.ticket}/attachments/${bob.attached}`), () =>
      ann.client.get(`/api/portal/tickets/${unknownId}/attachments/${'f'.repeat(64)}`),
    );
    await notThere(await ann.client.get(`/api/portal/tickets/${ann.ticket}/attachments/${bob.attached}`), () =>
      ann.client.get(`/api/portal/tickets/${ann.ticket}/attachments/${'f'.repeat(64)}`),
    );
  },
  'POST /api/portal/attachments': async () => {
    const uploaded = await ann.client.request('POST', '/api/portal/attachments?filename=mine.txt', {
      payload: 'only for ann',
      headers: { 'content-type': 'text/plain' },
    });
    expect(uploaded.status).toBe(201);
    const taken = await bob.client.post(`/api/portal/tickets/${bob.ticket}/messages`, {
      body: 'x',
      attachments: [uploaded.body.sha256],
    });
    expect(taken.status).toBe(404);
  },
  'GET /api/portal/profile': async () => {
    const profile = await ann.client.get('/api/portal/profile');
    expect(profile.body.customer.id).toBe(ann.id);
    holdsNothingOf(profile.text, bob);
  },
  'PATCH /api/portal/profile': async () => {
    const changed = await ann.client.patch('/api/portal/profile', { language: 'fr', timeZone: 'Europe/Paris' });
    expect(changed.status).toBe(200);
    expect(await staffCustomer(bob.id)).toMatchObject({ language: 'en', timeZone: 'UTC' });
    holdsNothingOf(changed.text, bob);
  },
  'PUT /api/portal/preferences': async () => {
    const set = await ann.client.put('/api/portal/preferences', { channelPreferences: ['sms'], quietHours: null });
    expect(set.status).toBe(200);
    expect((await staffCustomer(bob.id)).channelPreferences).toEqual(['email']);
  },
  'PUT /api/portal/consents/{channel}/{purpose}': async () => {
    expect((await ann.client.put('/api/portal/consents/sms/marketing', { granted: true })).status).toBe(200);
    expect((await desk.agent.get(`/api/customers/${bob.id}/consents/history`)).body.events).toEqual([]);
  },
  'POST /api/portal/sign-in': async () => {
    const forBob = await ann.client.post(
      '/api/portal/sign-in',
      { email: bob.email },
      { 'x-forwarded-for': '10.9.9.1' },
    );
    const forNobody = await ann.client.post(
      '/api/portal/sign-in',
      { email: 'nobody@customers.example' },
      { 'x-forwarded-for': '10.9.9.2' },
    );
    expect([forBob.status, forBob.body]).toEqual([forNobody.status, forNobody.body]);
    expect((await ann.client.get('/api/portal/me')).body.customer.id).toBe(ann.id);
  },
  'POST /api/portal/session': async () => {
    const guessed = await ann.client.post('/api/portal/session', { token: 'a'.repeat(43) });
    expect(guessed.status).toBe(401);
    expect((await ann.client.get('/api/portal/me')).body.customer.id).toBe(ann.id);
  },
  'GET /api/portal/me': async () => {
    const me = await ann.client.get('/api/portal/me');
    expect(me.body).toMatchObject({ customer: { id: ann.id }, email: ann.email });
    holdsNothingOf(me.text, bob);
  },
  'DELETE /api/portal/session': async () => {
    const again = await portalSignIn(t, ann.email);
    expect((await again.delete('/api/portal/session')).status).toBe(204);
    expect((await again.get('/api/portal/me')).status).toBe(401);
    expect((await ann.client.get('/api/portal/me')).status).toBe(200);
    expect((await bob.client.get('/api/portal/me')).body.customer.id).toBe(bob.id);
  },
};

describe('isolation between portal customers', () => {
  it('has a case for every portal route, and none for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((route) => !(route in cases))).toEqual([]);
    expect(Object.keys(cases).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it.for(Object.keys(cases))('%s', async (route) => {
    await cases[route]!();
  });
});
