import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;
// 22:30 in Berlin (CET), whatever the time of the run.
const clock = testClock(new Date('2026-11-23T21:30:00Z'), { ticking: true });

beforeAll(async () => {
  t = await startTestApp({ clock, config: { defaultCountry: 'DE' } });
  agent = await t.signedIn(['agent']);
  admin = await t.signedIn(['admin']);
  await admin.post('/api/customer-attributes', { key: 'contract_value', label: 'Contract value', type: 'number' });
  await admin.post('/api/customer-attributes', {
    key: 'tariff',
    label: 'Tariff',
    type: 'choice',
    choices: ['basic', 'plus'],
  });
});
afterAll(() => t.close());

const person = (overrides: Record<string, unknown> = {}) => ({
  kind: 'person',
  givenName: 'Greta',
  familyName: 'Schmidt',
  emails: ['Greta.Schmidt@Example.de'],
  phones: ['0151 2345 6789'],
  address: { lines: ['Hauptstraße 5'], postalCode: '10115', city: 'Berlin', country: 'DE' },
  timeZone: 'Europe/Berlin',
  language: 'de',
  ...overrides,
});

describe('customer records', () => {
  it('normalizes email and phone (E.164 by the address country) and audits the creation', async () => {
    const created = await agent.post(
      '/api/customers',
      person({ attributes: { contract_value: '1200', tariff: 'plus' }, tags: ['vip', 'vip'] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Greta Schmidt',
      emails: ['greta.schmidt@example.de'],
      phones: ['+4915123456789'],
      attributes: { contract_value: 1200, tariff: 'plus' },
      tags: ['vip'],
      lifecycleStage: 'prospect',
    });
    const trail = await admin.get(`/api/audit?entityType=customer&entityId=${created.body.id}`);
    expect(trail.body.events[0].action).toBe('customer.created');
  });

  it('names every bad field at once and stores nothing', async () => {
    const response = await agent.post(
      '/api/customers',
      person({ emails: ['not-an-email', 'ok@example.de'], phones: ['12'] }),
    );
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { path: 'body.emails.0', message: 'Invalid email address' },
      { path: 'body.phones.0', message: 'Too small: expected string to have >=3 characters' },
    ]);
    const semantic = await agent.post(
      '/api/customers',
      person({ phones: ['12345'], attributes: { shoe_size: 44, tariff: 'gold' }, timeZone: 'Mars/Olympus' }),
    );
    expect(semantic.status).toBe(400);
    expect(semantic.body.details.map((detail: { path: string }) => detail.path)).toEqual([
      'body.phones.0',
      'body.timeZone',
      'body.attributes.shoe_size',
      'body.attributes.tariff',
    ]);
    expect((await agent.get('/api/customers?q=olympus')).body.customers).toEqual([]);
  });

  it('refuses a consent for an unknown channel', async () => {
    const response = await agent.post(
      '/api/customers',
      person({ consents: [{ channel: 'pigeon', purpose: 'marketing', granted: true, source: 'form' }] }),
    );
    expect(response.status).toBe(400);
    expect(response.body.details[0].path).toBe('body.consents.0.channel');
  });

  it('keeps contact persons for organizations only', async () => {
    const org = await agent.post('/api/customers', {
      kind: 'organization',
      organizationName: 'Bäckerei Krause GmbH',
      fax: '030 1234567',
      address: { lines: ['Marktplatz 1'], postalCode: '14467', city: 'Potsdam', country: 'DE' },
      contacts: [{ name: 'Karl Krause', role: 'Owner', primary: true }],
    });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({
      name: 'Bäckerei Krause GmbH',
      fax: '+49301234567',
      contacts: [{ name: 'Karl Krause', primary: true }],
    });
    const contact = await agent.post(`/api/customers/${org.body.id}/contacts`, {
      name: 'Karla Krause',
      phone: '0331 555 0101',
      primary: true,
    });
    expect(contact.body.phone).toBe('+493315550101');
    const reloaded = await agent.get(`/api/customers/${org.body.id}`);
    expect(reloaded.body.contacts.map((c: { name: string; primary: boolean }) => [c.name, c.primary])).toEqual([
      ['Karla Krause', true],
      ['Karl Krause', false],
    ]);
    const personWithContacts = await agent.post('/api/customers', person({ contacts: [{ name: 'X' }] }));
    expect(personWithContacts.status).toBe(400);
  });

  it('archives and restores; archived customers leave the default list', async () => {
    const created = await agent.post(
      '/api/customers',
      person({ givenName: 'Arno', familyName: 'Archiv', emails: ['arno@example.de'] }),
    );
    expect((await agent.post(`/api/customers/${created.body.id}/archive`)).body.archivedAt).not.toBeNull();
    expect((await agent.get('/api/customers?q=arno@example.de')).body.customers).toEqual([]);
    expect((await agent.get('/api/customers?q=arno@example.de&archived=true')).body.customers).toHaveLength(1);
    expect((await agent.post(`/api/customers/${created.body.id}/restore`)).body.archivedAt).toBeNull();
  });

  it('lets viewers read but not write', async () => {
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.get('/api/customers')).status).toBe(200);
    expect((await viewer.post('/api/customers', person())).status).toBe(403);
  });
});

describe('consent, preferences and reachability', () => {
  it('derives the current consent from an append-only ledger, shown on the timeline', async () => {
    const { body: customer } = await agent.post(
      '/api/customers',
      person({ givenName: 'Clara', emails: ['clara@example.de'] }),
    );
    await agent.post(`/api/customers/${customer.id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'form',
    });
    await agent.post(`/api/customers/${customer.id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
      source: 'phone',
      note: 'Called to unsubscribe',
    });
    const current = await agent.get(`/api/customers/${customer.id}`);
    expect(current.body.consents).toEqual([
      expect.objectContaining({ channel: 'email', purpose: 'marketing', granted: false, source: 'phone' }),
    ]);
    const history = await agent.get(`/api/customers/${customer.id}/consents/history`);
    expect(history.body.events.map((event: { granted: boolean }) => event.granted)).toEqual([false, true]);
    const timeline = await agent.get(`/api/customers/${customer.id}/timeline?kind=consent`);
    expect(timeline.body.entries[0]).toMatchObject({
      title: 'Withdrew marketing consent for email',
      body: 'Called to unsubscribe',
    });
  });

  it('routes by preference and consent, falls back, and explains a suppression', async () => {
    const { body: customer } = await agent.post(
      '/api/customers',
      person({
        givenName: 'Rudi',
        emails: ['rudi@example.de'],
        channelPreferences: ['sms', 'email'],
        quietHours: null,
      }),
    );
    const reach = (purpose: string) =>
      agent.get(`/api/customers/${customer.id}/reachability?purpose=${purpose}`).then((response) => response.body);

    expect(await reach('service')).toMatchObject({
      reachable: true,
      channel: 'sms',
      address: '+4915123456789',
      reason: 'first preference',
    });
    expect(await reach('marketing')).toMatchObject({
      reachable: false,
      reason: expect.stringContaining('no marketing consent'),
    });

    await agent.post(`/api/customers/${customer.id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'form',
    });
    expect(await reach('marketing')).toMatchObject({
      channel: 'email',
      reason: 'preference 2, marketing consent given; passed over sms (no marketing consent)',
    });

    await agent.post(`/api/customers/${customer.id}/consents`, {
      channel: 'sms',
      purpose: 'service',
      granted: false,
      source: 'portal',
    });
    const fallback = await reach('service');
    expect(fallback).toMatchObject({
      channel: 'email',
      reason: 'preference 2; passed over sms (service consent withdrawn)',
    });
    expect(fallback.considered[0]).toEqual({ channel: 'sms', usable: false, reason: 'service consent withdrawn' });
  });

  it('skips channels without an address and defers to the end of quiet hours', async () => {
    const { body: customer } = await agent.post('/api/customers', {
      kind: 'person',
      familyName: 'Nachteule',
      phones: ['+49 151 99887766'],
      channelPreferences: ['email', 'sms'],
      timeZone: 'Europe/Berlin',
      quietHours: { start: '22:00', end: '07:00' },
    });
    const result = (await agent.get(`/api/customers/${customer.id}/reachability?purpose=service`)).body;
    expect(result.considered[0]).toEqual({ channel: 'email', usable: false, reason: 'no email address' });
    expect(result.channel).toBe('sms');
    expect(result.reason).toContain('deferred to the end of quiet hours');
    // 07:00 the next morning in Berlin.
    expect(result.deferUntil).toBe('2026-11-24T06:00:00.000Z');
    clock.advance(8.5 * 3_600_000);
    const morning = (await agent.get(`/api/customers/${customer.id}/reachability?purpose=service`)).body;
    expect(morning).toMatchObject({ channel: 'sms', deferUntil: null });
  });
});

describe('timeline', () => {
  it('shows notes and changes newest first, in pages', async () => {
    const { body: customer } = await agent.post(
      '/api/customers',
      person({ givenName: 'Tim', emails: ['tim@example.de'] }),
    );
    for (let i = 1; i <= 4; i++) await agent.post(`/api/customers/${customer.id}/notes`, { body: `Note ${i}` });
    await agent.patch(`/api/customers/${customer.id}`, { lifecycleStage: 'active' });
    const first = await agent.get(`/api/customers/${customer.id}/timeline?limit=3`);
    expect(
      first.body.entries.map((entry: { title: string; body: string | null }) => entry.body ?? entry.title),
    ).toEqual(['Changed lifecycleStage', 'Note 4', 'Note 3']);
    const second = await agent.get(`/api/customers/${customer.id}/timeline?limit=3&cursor=${first.body.nextCursor}`);
    expect(
      second.body.entries.map((entry: { title: string; body: string | null }) => entry.body ?? entry.title),
    ).toEqual(['Note 2', 'Note 1', 'Customer created']);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('search and lists', () => {
  beforeAll(async () => {
    for (const [givenName, familyName] of [
      ['Johanna', 'Meyer'],
      ['Johannes', 'Maier'],
      ['Peter', 'Zwegat'],
      ['Anna', 'Becker'],
    ]) {
      await agent.post(
        '/api/customers',
        person({ givenName, familyName, emails: [`${givenName!.toLowerCase()}@list.example`], phones: [] }),
      );
    }
  });

  it('finds a customer by a misspelled name', async () => {
    const found = await agent.get('/api/customers?q=Johana%20Meier');
    expect(found.body.customers.map((c: { name: string }) => c.name).slice(0, 2)).toEqual(
      expect.arrayContaining(['Johanna Meyer']),
    );
    expect((await agent.get('/api/customers?q=Zwegatt')).body.customers[0].name).toBe('Peter Zwegat');
  });

  it('finds by exact email and by phone written any way', async () => {
    expect(
      (await agent.get('/api/customers?q=ANNA@list.example')).body.customers.map((c: { name: string }) => c.name),
    ).toEqual(['Anna Becker']);
    const byPhone = await agent.get(`/api/customers?q=${encodeURIComponent('+49 (151) 23456789')}`);
    expect(byPhone.body.customers.length).toBeGreaterThan(0);
  });

  it('counts what the list shows for the same filters and search', async () => {
    const count = async (query: string) => {
      const answer = await agent.get(`/api/customers/count?${query}`);
      expect(answer.status, answer.text).toBe(200);
      return answer.body;
    };
    const all = await agent.get('/api/customers?limit=200');
    expect(await count('')).toEqual({ count: all.body.customers.length, estimated: false });
    expect(await count('q=ANNA@list.example')).toEqual({ count: 1, estimated: false });
    const misspelled = await agent.get('/api/customers?q=Johana%20Meier');
    expect(await count('q=Johana%20Meier')).toEqual({ count: misspelled.body.customers.length, estimated: false });
    expect((await count('q=nobody@list.example')).count).toBe(0);
    const refused = await agent.get('/api/customers/count?lifecycle=sleeping');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('lifecycle');
  });

  it('pages through a sorted list with a cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await agent.get(`/api/customers?sort=name&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.customers.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await agent.get('/api/customers?sort=name&limit=200');
    expect(seen).toEqual(all.body.customers.map((c: { id: string }) => c.id));
    const names = all.body.customers.map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('und').compare));
    expect((await agent.get('/api/customers?cursor=garbage')).status).toBe(400);
  });

  it('sorts "Name, A to Z" by language rules, not code points, and pages in that order', async () => {
    const byLanguageRules = [
      'apfelhof Ost',
      'Ärztehaus Nord',
      'Bäckerei Krause',
      'Blumen Meier',
      'Éclair Bistro',
      'Eisen Ernst',
      'Zander & Söhne',
    ];
    for (const organizationName of [...byLanguageRules].reverse()) {
      const created = await agent.post('/api/customers', { kind: 'organization', organizationName, tags: ['sorting'] });
      expect(created.status, created.text).toBe(201);
    }
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await agent.get(
          `/api/customers?tag=sorting&sort=name&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status, page.text).toBe(200);
        seen.push(...page.body.customers.map((c: { name: string }) => c.name));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(order === 'asc' ? byLanguageRules : [...byLanguageRules].reverse());
    }
  });
});
