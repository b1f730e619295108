import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { startSmtpReceiver } from '../communications/support.js';
import { studio, tariffNotice } from '../templates/support.js';
import { colleague, newCustomer } from './support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let agent: Awaited<ReturnType<typeof colleague>>;
let anna: Awaited<ReturnType<typeof colleague>>;
let bob: Awaited<ReturnType<typeof colleague>>;
let author: Awaited<ReturnType<typeof colleague>>;
let admin: TestClient;
let customerId: string;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ config: { smtpUrl: smtp.url }, workerPollMs: 50 });
  agent = await colleague(t, ['agent'], 'carla.agent@example.test');
  anna = await colleague(t, ['agent'], 'anna.berg@example.test');
  bob = await colleague(t, ['manager'], 'bob@example.test');
  author = await colleague(t, ['author'], 'tom.author@example.test');
  admin = await t.signedIn(['admin']);
  customerId = await newCustomer(agent);
  t.app.worker.start();
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const comment = (
  client: TestClient,
  body: string,
  subject: { kind: string; id: string } = { kind: 'customer', id: customerId },
) => client.post('/api/record-comments', { subject, body });

const mentionNotices = async (client: TestClient) =>
  (await client.get('/api/notifications')).body.notifications.filter(
    (notice: { kind: string }) => notice.kind === 'comment.mention',
  );

describe('comments with @mentions', () => {
  it('resolve handles and emails on save, notify the mentioned and have them follow the record', async () => {
    const created = await comment(
      agent,
      'Called her today. @anna.berg please send the form; cc @Bob@example.test, not @nobody.',
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      subjectKind: 'customer',
      subjectId: customerId,
      authorName: 'Test agent',
      mine: true,
    });
    expect(created.body.mentioned.map((user: { id: string }) => user.id).sort()).toEqual(
      [anna.user.id, bob.user.id].sort(),
    );

    const [notice] = await mentionNotices(anna);
    expect(notice).toMatchObject({
      title: 'Test agent mentioned you on Ada Lovelace',
      subjectType: 'customer',
      subjectId: customerId,
    });
    expect(notice.body).toContain('please send the form');
    expect(await mentionNotices(bob)).toHaveLength(1);
    expect(await mentionNotices(agent)).toHaveLength(0);

    for (const client of [agent, anna, bob])
      expect((await client.get(`/api/follows/customer/${customerId}`)).body).toEqual({ following: true });
    expect((await author.get(`/api/follows/customer/${customerId}`)).body).toEqual({ following: false });

    const listed = await bob.get(`/api/record-comments?kind=customer&id=${customerId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.comments).toHaveLength(1);
    expect(listed.body.comments[0]).toMatchObject({ id: created.body.id, mine: false });
  });

  it("link the feed to the record's page: a template's by its key", async () => {
    const { author: writer } = await studio(t);
    const created = await writer.post('/api/templates', tariffNotice);
    expect(created.status).toBe(201);
    const said = await comment(writer, 'Wording checked with legal, @anna.berg', {
      kind: 'template',
      id: created.body.template.id,
    });
    expect(said.status).toBe(201);
    const events = (await anna.get('/api/feed')).body.events;
    expect(events).toContainEqual(
      expect.objectContaining({ subjectKind: 'template', subjectPath: '/templates/tariff-change' }),
    );
  });

  it('refuses a short handle two colleagues share, and a mention of someone who cannot read the record', async () => {
    await t.createUser(['agent'], 'anna.berg@other.example');
    const ambiguous = await comment(agent, 'Over to @anna.berg');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error).toBe('comments.mention_ambiguous');
    expect((await comment(agent, 'Over to @anna.berg@example.test')).status).toBe(201);

    // Authors do not read tickets: telling one of a ticket would show them what they may not see.
    const ticket = await agent.post('/api/tickets', {
      kind: 'request',
      subject: 'Form missing',
      customerId,
      message: 'Where is my form?',
    });
    expect(ticket.status).toBe(201);
    const blind = await comment(agent, 'FYI @tom.author', { kind: 'ticket', id: ticket.body.id });
    expect(blind.status).toBe(400);
    expect(blind.body).toMatchObject({ error: 'comments.mention_cannot_read', details: [{ path: 'body.body' }] });
  });

  it('need read permission on the record, and the record must exist', async () => {
    const ticket = await agent.post('/api/tickets', {
      kind: 'request',
      subject: 'Call back',
      customerId,
      message: 'Please.',
    });
    const subject = { kind: 'ticket', id: ticket.body.id };
    expect((await comment(agent, 'On it', subject)).status).toBe(201);
    for (const response of [
      await author.get(`/api/record-comments?kind=ticket&id=${ticket.body.id}`),
      await comment(author, 'Let me see', subject),
      await author.put(`/api/follows/ticket/${ticket.body.id}`),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('comments.subject_forbidden');
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await agent.get(`/api/record-comments?kind=customer&id=${missing}`)).status).toBe(404);
    expect((await comment(agent, 'Hello', { kind: 'goal', id: missing })).status).toBe(404);
    expect((await agent.get(`/api/record-comments?kind=invoice&id=${missing}`)).status).toBe(400);
  });

  it('are edited and deleted by their author only, audited, and an edit tells those it newly mentions', async () => {
    const other = await newCustomer(agent, 'Byron');
    const created = await comment(agent, 'First thought', { kind: 'customer', id: other });
    const id = created.body.id as string;
    expect((await anna.patch(`/api/record-comments/${id}`, { body: 'Mine now' })).status).toBe(403);
    expect((await anna.delete(`/api/record-comments/${id}`)).status).toBe(403);

    const before = (await mentionNotices(bob)).length;
    const edited = await agent.patch(`/api/record-comments/${id}`, { body: 'Second thought, @bob' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ body: 'Second thought, @bob', mentioned: [{ id: bob.user.id }] });
    expect(edited.body.editedAt).not.toBeNull();
    expect(await mentionNotices(bob)).toHaveLength(before + 1);
    // Saving again with the same mention tells no one twice.
    await agent.patch(`/api/record-comments/${id}`, { body: 'Third thought, @bob' });
    expect(await mentionNotices(bob)).toHaveLength(before + 1);

    expect((await agent.delete(`/api/record-comments/${id}`)).status).toBe(204);
    expect((await agent.get(`/api/record-comments?kind=customer&id=${other}`)).body.comments).toEqual([]);
    expect((await agent.delete(`/api/record-comments/${id}`)).status).toBe(404);

    const audit = await admin.get(`/api/audit?entityType=comment&entityId=${id}`);
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual([
      'comment.deleted',
      'comment.edited',
      'comment.edited',
      'comment.added',
    ]);
    expect(audit.body.events[0].summary).toMatchObject({ body: 'Third thought, @bob' });
    expect(audit.body.events[2].summary).toMatchObject({ before: 'First thought', after: 'Second thought, @bob' });
  });
});

describe('mention emails', () => {
  it('go to those whose setting asks for them, through the email channel, once per comment', async () => {
    expect((await anna.get('/api/notifications/settings')).body).toEqual({ emailMentions: false });
    const set = await anna.put('/api/notifications/settings', { emailMentions: true });
    expect(set.status).toBe(200);
    expect((await anna.get('/api/notifications/settings')).body).toEqual({ emailMentions: true });
    expect((await anna.put('/api/notifications/settings', { emailMentions: 'yes' })).status).toBe(400);

    const created = await comment(agent, 'Customer called again, @anna.berg@example.test and @bob: <b>urgent</b>');
    expect(created.status).toBe(201);
    await agent.patch(`/api/record-comments/${created.body.id}`, {
      body: 'Customer called again, @anna.berg@example.test and @bob: <b>urgent</b>!',
    });
    const mail = await waitFor(
      async () => smtp.received.filter((message) => message.to.includes('anna.berg@example.test')),
      (messages) => messages.length > 0,
    );
    const parsed = await simpleParser(mail[0]!.raw);
    expect(parsed.subject).toBe('Test agent mentioned you on Ada Lovelace');
    expect(parsed.text).toContain(`/customers/${customerId}`);
    expect(parsed.text).toContain('<b>urgent</b>');
    // The comment is text: in the HTML part its markup is shown, never applied.
    expect(parsed.html).toContain('&#60;b&#62;urgent');

    // Bob left the setting off: a notice in the workspace only. One email per comment, edits or not.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.filter((message) => message.to.includes('bob@example.test'))).toHaveLength(0);
    expect(smtp.received.filter((message) => message.to.includes('anna.berg@example.test'))).toHaveLength(1);

    const audit = await admin.get(`/api/audit?action=notification_settings.updated&entityId=${anna.user.id}`);
    expect(audit.body.events[0].summary).toEqual({ changes: { emailMentions: { before: false, after: true } } });
  });
});
