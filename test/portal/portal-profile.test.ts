import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';
import { portalDesk } from './support.js';

let t: TestApp;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let ann: Awaited<ReturnType<typeof desk.customer>>;
let portal: PortalClient;

beforeAll(async () => {
  t = await startTestApp();
  desk = await portalDesk(t);
  ann = await desk.customer();
  portal = await portalSignIn(t, ann.email);
}, 120_000);
afterAll(() => t.close());

const timeline = async (customerId: string) =>
  (await desk.agent.get(`/api/customers/${customerId}/timeline`)).body.entries as {
    title: string;
    actorLabel: string;
  }[];

describe('my details', () => {
  it('shows my contact details, preferences and consents, and which details I may change', async () => {
    const profile = await portal.get('/api/portal/profile');
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      customer: { id: ann.id, kind: 'person', name: ann.name },
      contact: null,
      emails: [ann.email],
      channelPreferences: ['email'],
      quietHours: null,
      editable: ['givenName', 'familyName', 'phones', 'fax', 'address', 'language', 'timeZone'],
    });
    expect(profile.body.consents).toHaveLength(15);
    expect(profile.body.consents).toContainEqual({
      channel: 'email',
      purpose: 'marketing',
      granted: null,
      at: null,
      changeable: true,
    });
  });

  it('changes the details I may; the staff see the change on my timeline, made through the portal', async () => {
    const changed = await portal.patch('/api/portal/profile', {
      phones: ['030 1234567'],
      address: { lines: ['Neue Straße 5'], postalCode: '10117', city: 'Berlin', country: 'DE' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ phones: ['+49301234567'], address: { lines: ['Neue Straße 5'] } });
    const staff = (await desk.agent.get(`/api/customers/${ann.id}`)).body;
    expect(staff).toMatchObject({ phones: ['+49301234567'], address: { city: 'Berlin', lines: ['Neue Straße 5'] } });
    expect((await timeline(ann.id))[0]).toMatchObject({
      title: 'Changed phones, address',
      actorLabel: `portal:${ann.email}`,
    });

    const wrong = await portal.patch('/api/portal/profile', { phones: ['not a phone'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ path: 'body.phones.0' })]);
  });

  it('refuses the fields I may not change, naming each, and changes nothing', async () => {
    for (const [field, value] of [
      ['emails', ['someone-else@customers.example']],
      ['lifecycleStage', 'closed'],
      ['tags', ['vip']],
      ['externalId', 'X-1'],
      ['channelPreferences', ['sms']],
    ] as const) {
      const refused = await portal.patch('/api/portal/profile', { [field]: value, language: 'de' });
      expect(refused.status, field).toBe(400);
      expect(refused.body.details.map((detail: { path: string }) => detail.path)).toEqual([`body.${field}`]);
    }
    expect((await desk.agent.get(`/api/customers/${ann.id}`)).body).toMatchObject({
      emails: [ann.email],
      language: 'en',
      lifecycleStage: 'prospect',
      tags: [],
    });
  });

  it("refuses an organization's contact a person's name fields", async () => {
    const org = await desk.customer({
      kind: 'organization',
      contacts: [{ name: 'Fiona Full', email: `fiona-${Date.now()}@org.example`, primary: true }],
    });
    const contact = (await desk.agent.get(`/api/customers/${org.id}`)).body.contacts[0];
    const fiona = await portalSignIn(t, contact.email);
    expect((await fiona.get('/api/portal/profile')).body).toMatchObject({
      customer: { id: org.id, kind: 'organization' },
      contact: { id: contact.id, name: 'Fiona Full' },
      editable: ['phones', 'fax', 'address', 'language', 'timeZone'],
    });
    const refused = await fiona.patch('/api/portal/profile', { givenName: 'Fiona' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'body.givenName' })]);
  });
});

describe('how I am reached', () => {
  it('sets my channel order and quiet hours', async () => {
    const set = await portal.put('/api/portal/preferences', {
      channelPreferences: ['portal', 'email'],
      quietHours: { start: '21:00', end: '07:30' },
    });
    expect(set.status, set.text).toBe(200);
    expect((await desk.agent.get(`/api/customers/${ann.id}`)).body).toMatchObject({
      channelPreferences: ['portal', 'email'],
      quietHours: { start: '21:00', end: '07:30' },
    });
    expect((await timeline(ann.id))[0]).toMatchObject({ title: 'Changed channelPreferences, quietHours' });

    const twice = await portal.put('/api/portal/preferences', { channelPreferences: ['sms', 'sms'], quietHours: null });
    expect(twice.status).toBe(400);
    const badTime = await portal.put('/api/portal/preferences', {
      channelPreferences: [],
      quietHours: { start: '25:00', end: '07:00' },
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.details).toEqual([expect.objectContaining({ path: 'body.quietHours.start' })]);
  });

  it('withdraws marketing consent by email: the ledger says portal and my timeline shows it', async () => {
    expect((await portal.put('/api/portal/consents/email/marketing', { granted: true })).status).toBe(200);
    const withdrawn = await portal.put('/api/portal/consents/email/marketing', { granted: false });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.consents).toContainEqual(
      expect.objectContaining({ channel: 'email', purpose: 'marketing', granted: false }),
    );

    const ledger = (await desk.agent.get(`/api/customers/${ann.id}/consents/history`)).body.events;
    expect(ledger.slice(0, 2)).toEqual([
      expect.objectContaining({ channel: 'email', purpose: 'marketing', granted: false, source: 'portal' }),
      expect.objectContaining({ channel: 'email', purpose: 'marketing', granted: true, source: 'portal' }),
    ]);
    expect((await timeline(ann.id))[0]).toMatchObject({
      title: 'Withdrew marketing consent for email',
      actorLabel: `portal:${ann.email}`,
    });
  });

  it('keeps transactional messages (bills, sign-in links) out of my hands', async () => {
    const refused = await portal.put('/api/portal/consents/email/transactional', { granted: false });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'params.purpose' })]);
    expect((await portal.get('/api/portal/profile')).body.consents).toContainEqual(
      expect.objectContaining({ channel: 'email', purpose: 'transactional', granted: null, changeable: false }),
    );
  });

  it("a service contact reads but does not change the organization's settings", async () => {
    const org = await desk.customer({
      kind: 'organization',
      contacts: [{ name: 'Sam Service', email: `sam-${Date.now()}@org.example` }],
    });
    const sam = await portalSignIn(t, (await desk.agent.get(`/api/customers/${org.id}`)).body.contacts[0].email);
    expect((await sam.get('/api/portal/profile')).body.editable).toEqual([]);
    expect((await sam.patch('/api/portal/profile', { language: 'de' })).status).toBe(403);
    expect((await sam.put('/api/portal/preferences', { channelPreferences: ['sms'], quietHours: null })).status).toBe(
      403,
    );
    expect((await sam.put('/api/portal/consents/email/marketing', { granted: true })).status).toBe(403);
    expect((await desk.agent.get(`/api/customers/${org.id}`)).body).toMatchObject({
      language: 'en',
      channelPreferences: ['email'],
    });
  });
});
