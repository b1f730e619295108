import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';
import { portalDesk } from './support.js';

let t: TestApp;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let manager: TestClient;
let ann: Awaited<ReturnType<typeof desk.customer>>;
let portal: PortalClient;
let letter: string;

beforeAll(async () => {
  t = await startTestApp({ config: { attachmentMaxBytes: 2_000 } });
  desk = await portalDesk(t);
  manager = await t.signedIn(['manager']);
  const policy = await manager.post('/api/sla/policies', {
    name: 'Complaints',
    kind: 'complaint',
    firstResponseMinutes: 120,
    resolutionMinutes: 600,
  });
  expect(policy.status, policy.text).toBe(201);
  ann = await desk.customer({ channelPreferences: ['letter'] });
  letter = await desk.send(ann.id);
  await desk.prefer(ann.id, 'email');
  portal = await portalSignIn(t, ann.email);
}, 120_000);
afterAll(() => t.close());

const complain = (client: PortalClient, communicationId: string | undefined, fields: Record<string, unknown> = {}) =>
  client.post('/api/portal/tickets', {
    kind: 'complaint',
    subject: 'Wrong meter number',
    body: 'The meter number in your letter is not mine.',
    ...(communicationId && { communicationId }),
    ...fields,
  });

describe('a complaint about a letter', () => {
  it('lands in the complaints on the staff side, linked to the letter and its template version, its SLA running', async () => {
    const opened = await complain(portal, letter);
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body).toMatchObject({ kind: 'complaint', status: 'new', communicationId: letter });
    expect(opened.body.messages).toEqual([
      expect.objectContaining({
        kind: 'customer',
        body: 'The meter number in your letter is not mine.',
        authorLabel: ann.name,
      }),
    ]);

    const staff = (await desk.agent.get(`/api/tickets/${opened.body.id}`)).body;
    const sentLetter = (await desk.agent.get(`/api/communications/${letter}`)).body;
    expect(staff).toMatchObject({
      kind: 'complaint',
      source: 'portal',
      customerId: ann.id,
      communicationId: letter,
      templateVersionId: sentLetter.templateVersionId,
      createdBy: `portal:${ann.email}`,
    });
    expect(staff.communication).toMatchObject({
      id: letter,
      channel: 'letter',
      templateName: 'Meter reading reminder',
    });
    expect(staff.firstResponseDueAt).not.toBeNull();

    const complaints = (await desk.agent.get('/api/tickets?kind=complaint')).body.tickets;
    expect(complaints.map((ticket: { id: string }) => ticket.id)).toContain(opened.body.id);
    const rate = (await desk.agent.get(`/api/template-versions/${sentLetter.templateVersionId}/complaints`)).body;
    expect(rate.complaints).toBe(1);

    // The letter in my inbox now says I complained about it.
    expect((await portal.get(`/api/portal/communications/${letter}`)).body.complaint).toEqual({
      ticketId: opened.body.id,
      number: opened.body.number,
    });
    const timeline = (await desk.agent.get(`/api/customers/${ann.id}/timeline?kind=ticket`)).body.entries;
    expect(timeline[0]).toMatchObject({ title: `Complaint #${opened.body.number}: opened: Wrong meter number` });
  });

  it('must name the letter or message it is about', async () => {
    const refused = await complain(portal, undefined);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'body.communicationId' })]);
  });
});

describe('the conversation', () => {
  it('shows our replies but never internal notes, and my answer opens a resolved ticket again', async () => {
    const opened = (
      await portal.post('/api/portal/tickets', { kind: 'request', subject: 'Move date', body: 'I move on 1 March.' })
    ).body;
    expect(
      (await desk.agent.post(`/api/tickets/${opened.id}/notes`, { body: 'Check the contract first' })).status,
    ).toBe(201);
    expect((await desk.agent.post(`/api/tickets/${opened.id}/replies`, { body: 'Noted, **thank you**.' })).status).toBe(
      201,
    );
    expect((await desk.agent.post(`/api/tickets/${opened.id}/actions`, { action: 'resolve' })).status).toBe(200);

    const seen = (await portal.get(`/api/portal/tickets/${opened.id}`)).body;
    expect(seen.status).toBe('resolved');
    expect(seen.messages.map((message: { kind: string; body: string }) => [message.kind, message.body])).toEqual([
      ['customer', 'I move on 1 March.'],
      ['reply', 'Noted, **thank you**.'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('Check the contract');

    const answered = await portal.post(`/api/portal/tickets/${opened.id}/messages`, { body: 'Actually on 2 March.' });
    expect(answered.status, answered.text).toBe(201);
    expect(answered.body).toMatchObject({ kind: 'customer', authorLabel: ann.name });
    expect((await desk.agent.get(`/api/tickets/${opened.id}`)).body.status).toBe('open');
    expect((await portal.get('/api/portal/tickets')).body.items[0]).toMatchObject({ id: opened.id, status: 'open' });
  });
});

describe('files', () => {
  const upload = (client: PortalClient, bytes: string, type: string, filename = 'reading.txt') =>
    client.request('POST', `/api/portal/attachments?filename=${filename}`, {
      payload: bytes,
      headers: { 'content-type': type },
    });

  it('are checked by type and size like staff attachments, attached to a request and downloaded from it', async () => {
    expect((await upload(portal, 'MZ\u0000\u0001', 'application/x-msdownload', 'tool.exe')).status).toBe(415);
    expect((await upload(portal, 'x'.repeat(2_001), 'text/plain')).status).toBe(413);
    const uploaded = await upload(portal, 'Meter 4711: 12345 kWh', 'text/plain');
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.body).toMatchObject({ filename: 'reading.txt', mediaType: 'text/plain', size: 21 });

    const opened = await portal.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'My reading',
      body: 'Attached.',
      attachments: [uploaded.body.sha256],
    });
    expect(opened.status, opened.text).toBe(201);
    const [file] = opened.body.messages[0].attachments;
    expect(file).toMatchObject({
      filename: 'reading.txt',
      url: `/api/portal/tickets/${opened.body.id}/attachments/${uploaded.body.sha256}`,
    });
    const downloaded = await portal.get(file.url);
    expect(downloaded.status).toBe(200);
    expect(downloaded.text).toBe('Meter 4711: 12345 kWh');
    expect(downloaded.headers['content-disposition']).toMatch(/^attachment; filename="reading.txt"/);
    // The staff see the same file on the ticket.
    expect((await desk.agent.get(`/api/tickets/${opened.body.id}/attachments/${uploaded.body.sha256}`)).text).toBe(
      'Meter 4711: 12345 kWh',
    );
  });

  it("never hand out a file of a staff note, even to the ticket's customer", async () => {
    const opened = (
      await portal.post('/api/portal/tickets', { kind: 'request', subject: 'Tariff', body: 'Which one?' })
    ).body;
    const internal = await desk.agent.request('POST', '/api/tickets/attachments?filename=margin.txt', {
      payload: 'Our margin on this tariff',
      headers: { 'content-type': 'text/plain' },
    });
    expect(internal.status, internal.text).toBe(201);
    const note = await desk.agent.post(`/api/tickets/${opened.id}/notes`, {
      body: 'For the team only',
      attachments: [internal.body],
    });
    expect(note.status, note.text).toBe(201);
    const path = `/tickets/${opened.id}/attachments/${internal.body.sha256}`;
    expect((await desk.agent.get(`/api${path}`)).text).toBe('Our margin on this tariff');
    const refused = await portal.get(`/api/portal${path}`);
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('margin');
  });

  it('attach only what I uploaded myself', async () => {
    const refused = await portal.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'Somebody else’s file',
      body: 'See attached.',
      attachments: ['0'.repeat(64)],
    });
    expect(refused.status).toBe(404);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'body.attachments.0' })]);
  });
});

describe('a request from a help article', () => {
  it('counts the article as one that did not answer the question', async () => {
    const article = await desk.agent.post('/api/knowledge/articles', {
      title: 'Reading your meter',
      visibility: 'public',
      body: 'Look at the display.',
    });
    expect(article.status).toBe(201);
    await desk.agent.post(`/api/knowledge/articles/${article.body.id}/actions`, { action: 'publish' });

    const opened = await portal.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'Meter display is blank',
      body: 'The article did not help.',
      articleSlug: article.body.slug,
    });
    expect(opened.status, opened.text).toBe(201);
    expect((await desk.agent.get(`/api/knowledge/articles/${article.body.id}`)).body).toMatchObject({
      notDeflected: 1,
      helpful: 0,
      notHelpful: 0,
    });

    const unknown = await portal.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'x',
      body: 'y',
      articleSlug: 'no-such-article',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'body.articleSlug' })]);
  });
});

describe("an organization's contacts", () => {
  it('a service contact sees and opens only their own requests, and no correspondence', async () => {
    const org = await desk.customer({
      kind: 'organization',
      contacts: [
        { name: 'Fiona Full', email: `fiona-${Date.now()}@org.example`, primary: true },
        { name: 'Sam Service', email: `sam-${Date.now()}@org.example` },
      ],
    });
    const orgLetter = await desk.send(org.id);
    const contacts = (await desk.agent.get(`/api/customers/${org.id}`)).body.contacts as {
      name: string;
      email: string;
    }[];
    const fiona = await portalSignIn(t, contacts.find((contact) => contact.name === 'Fiona Full')!.email);
    const sam = await portalSignIn(t, contacts.find((contact) => contact.name === 'Sam Service')!.email);
    expect(sam.me.access).toBe('service');

    const samsRequest = await sam.post('/api/portal/tickets', {
      kind: 'request',
      subject: 'Invoice copy',
      body: 'Please.',
    });
    expect(samsRequest.status, samsRequest.text).toBe(201);
    expect(samsRequest.body.messages[0].authorLabel).toBe('Sam Service');
    expect((await desk.agent.get(`/api/tickets/${samsRequest.body.id}`)).body.contactId).toBe(sam.me.contact!.id);
    const fionasComplaint = await complain(fiona, orgLetter);
    expect(fionasComplaint.status, fionasComplaint.text).toBe(201);

    const samSees = (await sam.get('/api/portal/tickets')).body.items.map((item: { id: string }) => item.id);
    expect(samSees).toEqual([samsRequest.body.id]);
    const fionaSees = (await fiona.get('/api/portal/tickets')).body.items.map((item: { id: string }) => item.id);
    expect(fionaSees).toEqual([fionasComplaint.body.id, samsRequest.body.id]);
    expect((await sam.get(`/api/portal/tickets/${fionasComplaint.body.id}`)).status).toBe(404);

    expect((await sam.get('/api/portal/inbox')).status).toBe(403);
    expect((await sam.get(`/api/portal/communications/${orgLetter}`)).status).toBe(404);
    expect((await complain(sam, orgLetter)).status).toBe(404);
    expect((await fiona.get('/api/portal/inbox')).body.items.map((item: { id: string }) => item.id)).toContain(
      orgLetter,
    );
  });
});
