import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideChannel } from '../../src/customers/reachability.js';
import { SESSION_IDLE_MS, signInLimits } from '../../src/portal/portal-auth.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { freshClientAddress, portalSignIn, requestSignInLink, runSignInJobs } from '../support/portal.js';

// 09:00 UTC: 10:00 in Berlin, 04:00 in New York.
const clock = testClock(new Date('2026-11-23T09:00:00Z'));
let t: TestApp;
let agent: TestClient;
let admin: TestClient;
let counter = 0;

beforeAll(async () => {
  t = await startTestApp({ clock, config: { publicUrl: 'https://portal.example' } });
  agent = await t.signedIn(['agent']);
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

async function person(fields: Record<string, unknown> = {}) {
  const n = ++counter;
  const created = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Paula',
    familyName: `Portal${n}`,
    emails: [`paula${n}@portal.example`, `paula${n}.work@portal.example`],
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; name: string; emails: string[] };
}

const askFrom = (email: string, clientAddress = freshClientAddress()) =>
  t.client().post('/api/portal/sign-in', { email }, { 'x-forwarded-for': clientAddress });

const startSession = (token: string) => t.client().post('/api/portal/session', { token });

/** The sign-in emails the customer's record shows, newest first, as staff see them. */
const signInMailsOf = async (customerId: string) =>
  (await agent.get(`/api/communications?customerId=${customerId}&template=portal-sign-in`)).body.communications as {
    id: string;
    status: string;
    channel: string;
    address: string;
    deferUntil: string | null;
  }[];

describe('portal sign-in by email link', () => {
  it('sends a single-use link through the delivery pipeline to exactly the address that asked', async () => {
    const customer = await person();
    const asked = customer.emails[1]!;
    const token = await requestSignInLink(t, asked);

    const [mail] = await signInMailsOf(customer.id);
    expect(mail).toMatchObject({ status: 'sent', channel: 'email', address: asked });
    const raw = await agent.get(`/api/communications/${mail!.id}/copy`);
    const parsed = await simpleParser(Buffer.from(raw.text, 'binary'));
    expect(parsed.to).toMatchObject({ text: asked });
    expect(parsed.text).toContain(`https://portal.example/portal/sign-in#${token}`);

    const first = await startSession(token);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      customer: { id: customer.id, name: customer.name, kind: 'person' },
      contact: null,
      email: asked,
      access: 'full',
      csrfToken: expect.any(String),
    });
    const cookie = String([first.headers['set-cookie']].flat()[0]);
    expect(cookie).toMatch(/^tidings_portal=[\w-]+;/);
    expect(cookie).toContain('Path=/api/portal');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // The public URL is https.
    expect(cookie).toContain('Secure');

    const again = await startSession(token);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('portal.link_invalid');
  });

  it('refuses an expired link with the same answer as an unknown one', async () => {
    const customer = await person();
    const token = await requestSignInLink(t, customer.emails[0]!);
    clock.advance(15 * 60_000 + 1_000);
    const expired = await startSession(token);
    const unknown = await startSession('not-a-token-anyone-was-sent');
    expect(expired.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(expired.body).toEqual(unknown.body);
  });

  it('answers a known and an unknown address alike and sends nothing to the unknown one', async () => {
    const customer = await person();
    const known = await askFrom(customer.emails[0]!);
    const unknown = await askFrom(`nobody${counter}@portal.example`);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(Object.keys(unknown.body)).toEqual(['message']);
    await runSignInJobs(t);
    expect(await signInMailsOf(customer.id)).toHaveLength(1);
    const unknownAudit = await admin.get(
      `/api/audit?action=portal.sign_in_unknown_address&entityId=nobody${counter}@portal.example`,
    );
    expect(unknownAudit.body.events).toHaveLength(1);
  });

  it('throttles asks per address, known or not, with Retry-After', async () => {
    const customer = await person();
    for (const email of [customer.emails[0]!, `stranger${counter}@portal.example`]) {
      for (let i = 0; i < signInLimits.email; i++) expect((await askFrom(email)).status).toBe(202);
      const refused = await askFrom(email);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('portal.throttled');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    await runSignInJobs(t);
    expect(await signInMailsOf(customer.id)).toHaveLength(signInLimits.email);
  });

  it('throttles asks per client address across many addresses', async () => {
    const client = freshClientAddress();
    for (let i = 0; i < signInLimits.clientAddress; i++)
      expect((await askFrom(`walker${counter}-${i}@portal.example`, client)).status).toBe(202);
    const refused = await askFrom(`walker${counter}-last@portal.example`, client);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('portal.throttled');
    // Another client is not held by it.
    expect((await askFrom(`walker${counter}-last@portal.example`)).status).toBe(202);
    await runSignInJobs(t);
  });

  it('sends the link at once during quiet hours: the person is waiting for it', async () => {
    const customer = await person({
      timeZone: 'America/New_York',
      quietHours: { start: '22:00', end: '07:00' },
    });
    await requestSignInLink(t, customer.emails[0]!);
    const [mail] = await signInMailsOf(customer.id);
    expect(mail).toMatchObject({ status: 'sent', deferUntil: null });
  });

  it("never routes a message asked for by an address that is not the customer's or their contacts'", async () => {
    const customer = {
      emails: ['paula@portal.example'],
      phones: [],
      fax: null,
      address: null,
      channelPreferences: [],
      timeZone: 'Europe/Berlin',
      quietHours: { start: '08:00', end: '12:00' },
      undeliverable: [],
      archivedAt: null,
      contactEmails: ['petra@acme.example'],
    };
    const consents = [{ channel: 'email' as const, purpose: 'transactional' as const, granted: true }];
    const now = clock.now();
    const foreign = decideChannel(customer, consents, 'transactional', now, {
      requestedBy: 'mallory@elsewhere.example',
    });
    expect(foreign.reachable).toBe(false);
    expect(foreign.reason).toContain('mallory@elsewhere.example is not an address of this customer');
    // A contact's own address is theirs; quiet hours (08:00-12:00 in Berlin, now 10:00) do not hold it.
    expect(
      decideChannel(customer, consents, 'transactional', now, { requestedBy: 'petra@acme.example' }),
    ).toMatchObject({ reachable: true, channel: 'email', address: 'petra@acme.example', deferUntil: null });
    // Asked for by nobody, the same message waits for the end of quiet hours.
    expect(decideChannel(customer, consents, 'transactional', now)).toMatchObject({
      reachable: true,
      deferUntil: new Date('2026-11-23T11:00:00Z'),
    });
    // Staff cannot name the address that asked: only Tidings does, for sign-in links.
    const refused = await admin.post('/api/communications', {
      template: 'portal-sign-in',
      customerId: 'c6f7f0d4-2c0a-4f7e-9a51-0f3c6cf3d001',
      data: { requestedBy: 'mallory@elsewhere.example' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].path).toBe('body.data.requestedBy');
  });

  it("lets an organization's contact sign in at their own address with the access their role allows", async () => {
    const n = ++counter;
    const organization = await agent.post('/api/customers', {
      kind: 'organization',
      organizationName: `Acme ${n} GmbH`,
      emails: [`office${n}@acme.example`],
      contacts: [
        { name: 'Petra Primary', email: `Petra${n}@Acme.example`, primary: true },
        { name: 'Sam Service', email: `sam${n}@acme.example` },
        { name: 'Nora None', email: `nora${n}@acme.example`, portalAccess: 'none' },
      ],
    });
    expect(organization.status).toBe(201);
    const contacts = organization.body.contacts as { id: string; name: string; portalAccess: string }[];
    expect(contacts.map((contact) => contact.portalAccess).sort()).toEqual(['full', 'none', 'service']);

    const sam = await portalSignIn(t, `sam${n}@acme.example`);
    expect(sam.me).toMatchObject({
      customer: { id: organization.body.id, kind: 'organization' },
      contact: { name: 'Sam Service' },
      email: `sam${n}@acme.example`,
      access: 'service',
    });
    const petra = await portalSignIn(t, `petra${n}@acme.example`);
    expect(petra.me).toMatchObject({ contact: { name: 'Petra Primary' }, access: 'full' });

    expect((await askFrom(`nora${n}@acme.example`)).status).toBe(202);
    await runSignInJobs(t);
    const mails = await signInMailsOf(organization.body.id);
    expect(mails.map((mail) => mail.address).sort()).toEqual([`petra${n}@acme.example`, `sam${n}@acme.example`]);

    // Staff take Sam's access away: his open session ends and no new link is sent.
    const samId = contacts.find((contact) => contact.name === 'Sam Service')!.id;
    const revoked = await agent.put(`/api/customers/${organization.body.id}/contacts/${samId}/portal-access`, {
      portalAccess: 'none',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: samId, portalAccess: 'none' });
    expect((await sam.get('/api/portal/me')).status).toBe(401);
    expect((await askFrom(`sam${n}@acme.example`)).status).toBe(202);
    await runSignInJobs(t);
    expect(await signInMailsOf(organization.body.id)).toHaveLength(2);
  });

  it('audits every sign-in as the portal customer', async () => {
    const customer = await person();
    await portalSignIn(t, customer.emails[0]!);
    const events = await admin.get(`/api/audit?entityType=customer&entityId=${customer.id}&limit=100`);
    expect(events.status).toBe(200);
    const actions = events.body.events.map((event: { action: string; actorLabel: string }) => [
      event.action,
      event.actorLabel,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['portal.sign_in_link_sent', `portal:${customer.emails[0]}`],
        ['portal.signed_in', `portal:${customer.emails[0]}`],
      ]),
    );
  });

  it('ends the session on sign-out, after an hour unused and 12 hours after sign-in', async () => {
    const customer = await person();
    const signedOut = await portalSignIn(t, customer.emails[0]!);
    expect((await signedOut.get('/api/portal/me')).status).toBe(200);
    const out = await signedOut.delete('/api/portal/session');
    expect(out.status).toBe(204);
    expect(String([out.headers['set-cookie']].flat()[0])).toMatch(/^tidings_portal=;/);
    expect((await signedOut.get('/api/portal/me')).body.error).toBe('portal.sign_in_required');

    const idle = await portalSignIn(t, customer.emails[0]!);
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await idle.get('/api/portal/me')).status).toBe(200);
    clock.advance(SESSION_IDLE_MS + 1_000);
    expect((await idle.get('/api/portal/me')).status).toBe(401);

    const busy = await portalSignIn(t, customer.emails[0]!);
    for (let hour = 0; hour < 11; hour++) {
      clock.advance(SESSION_IDLE_MS - 60_000);
      expect((await busy.get('/api/portal/me')).status).toBe(200);
    }
    clock.advance(SESSION_IDLE_MS);
    expect((await busy.get('/api/portal/me')).status).toBe(401);
  });
});
