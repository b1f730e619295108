import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { startSmtpReceiver } from '../communications/support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let admin: TestClient;
let viewer: TestClient;
let first: Awaited<ReturnType<TestApp['signedIn']>>;
let second: Awaited<ReturnType<TestApp['signedIn']>>;
let teamId: string;
let segmentId: string;
// No worker loop runs: each test runs the due jobs with `drain` and moves this clock for the reminder.
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });

const mailing = () => ({
  segmentId,
  template: 'channel-change-request',
  data: {
    newChannel: 'email',
    preferencesUrl: 'https://tidings.example/portal/settings',
    message: 'We are moving our correspondence to email.',
  },
});

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  // Sessions outlast the days the reminder test moves the clock by.
  t = await startTestApp({ clock, config: { smtpUrl: smtp.url, sessionTtlMs: 30 * 24 * 3_600_000 } });
  manager = await t.signedIn(['manager']);
  admin = await t.signedIn(['admin']);
  viewer = await t.signedIn(['viewer']);
  first = await t.signedIn(['agent']);
  second = await t.signedIn(['agent']);
  const team = await admin.post('/api/teams', { name: 'Front desk', memberIds: [first.user.id, second.user.id] });
  expect(team.status).toBe(201);
  teamId = team.body.id;
  // Three customers by email, two by fax: each is written to on their own channel.
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, fax, address, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text,
           case when n <= 3 then array['c' || n || '@announce.example'] else '{}'::text[] end,
           case when n > 3 then '+49 30 555' || n end,
           -- A fax is a letter sent by wire: its page prints the postal address.
           jsonb_build_object('lines', jsonb_build_array(n || ' High Street'), 'postalCode', 'AB1 2CD', 'city', 'Leeds', 'country', 'GB'),
           case when n <= 3 then array['email'] else array['fax'] end,
           array['announce']
    from generate_series(1, 5) n`);
  const segment = await manager.post('/api/segments', { name: 'Announce', filter: { tagsAll: ['announce'] } });
  expect(segment.status).toBe(201);
  segmentId = segment.body.id;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const pendingTitles = async (client: TestClient) =>
  (await client.get('/api/announcements/pending')).body.announcements.map((row: { title: string }) => row.title);

describe('change announcements', () => {
  let id: string;

  it('are drafted by managers, with a customer mailing, and shown to nobody before publishing', async () => {
    const draft = {
      title: 'Fax customers move to email',
      body: 'From January we write to them by email.',
      teamIds: [teamId],
    };
    expect((await viewer.post('/api/announcements', draft)).status).toBe(403);
    expect((await first.post('/api/announcements', draft)).status).toBe(403);
    const created = await manager.post('/api/announcements', { ...draft, customerMailing: mailing() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      teamNames: ['Front desk'],
      segmentName: 'Announce',
      templateKey: 'channel-change-request',
      batchRunId: null,
      addressedToMe: false,
    });
    id = created.body.id;
    expect(await pendingTitles(first)).toEqual([]);
    expect((await first.post(`/api/announcements/${id}/acknowledge`)).status).toBe(409);
  });

  it('refuses a team that does not exist and a mailing whose data the template does not take', async () => {
    const unknownTeam = await manager.post('/api/announcements', {
      title: 'x',
      body: 'y',
      teamIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body.details).toEqual([expect.objectContaining({ path: 'body.teamIds' })]);
    const badData = await manager.post('/api/announcements', {
      title: 'x',
      body: 'y',
      customerMailing: { ...mailing(), data: {} },
    });
    expect(badData.status).toBe(400);
  });

  it('edits a draft: the fields given change, with its audit trail, and a bad field is named', async () => {
    const draft = await manager.post('/api/announcements', {
      title: 'Office move',
      body: 'We move.',
      teamIds: [teamId],
    });
    const path = `/api/announcements/${draft.body.id}`;
    expect((await viewer.patch(path, { title: 'Changed' })).status).toBe(403);
    const edited = await manager.patch(path, { title: 'Office move in March', remindAfterHours: 48 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      title: 'Office move in March',
      body: 'We move.',
      remindAfterHours: 48,
      status: 'draft',
      teamNames: ['Front desk'],
      segmentName: null,
    });
    // A customer mailing added, then dropped again.
    expect((await manager.patch(path, { customerMailing: mailing() })).body.segmentName).toBe('Announce');
    expect((await manager.patch(path, { customerMailing: null })).body).toMatchObject({
      segmentName: null,
      templateKey: null,
    });

    const unknownTeam = await manager.patch(path, { teamIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body.details).toEqual([expect.objectContaining({ path: 'body.teamIds' })]);
    const emptyTitle = await manager.patch(path, { title: ' ' });
    expect(emptyTitle.status).toBe(400);
    expect(emptyTitle.body.details).toEqual([expect.objectContaining({ path: 'body.title' })]);
    expect((await manager.patch(path, {})).status).toBe(400);
    expect((await manager.get(path)).body.title).toBe('Office move in March');

    const trail = await admin.get(`/api/audit?entityType=announcement&entityId=${draft.body.id}`);
    expect(trail.body.events).toContainEqual(
      expect.objectContaining({ action: 'announcement.updated', summary: { fields: ['title', 'remindAfterHours'] } }),
    );
    // Once closed (or published) it is what people were told: no longer edited.
    expect((await manager.post(`${path}/close`)).status).toBe(200);
    const late = await manager.patch(path, { title: 'Too late' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('announcement.wrong_status');
  });

  it('publishes to the people of its teams and starts the customer mailing as a batch run', async () => {
    expect((await viewer.post(`/api/announcements/${id}/publish`)).status).toBe(403);
    const published = await manager.post(`/api/announcements/${id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect(published.body.batchRunId).toEqual(expect.any(String));
    expect((await manager.post(`/api/announcements/${id}/publish`)).status).toBe(409);
    expect((await manager.patch(`/api/announcements/${id}`, { title: 'Too late' })).status).toBe(409);

    expect(await pendingTitles(first)).toEqual(['Fax customers move to email']);
    expect(await pendingTitles(second)).toEqual(['Fax customers move to email']);
    expect(await pendingTitles(manager)).toEqual([]);
    const notices = await first.get('/api/notifications');
    expect(notices.body.notifications).toEqual([
      expect.objectContaining({ kind: 'announcement', subjectType: 'announcement', subjectId: id }),
    ]);
  });

  it('counts acknowledgement per person, the first time only', async () => {
    const acknowledged = await first.post(`/api/announcements/${id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ addressedToMe: true, acknowledgedAt: expect.any(String) });
    clock.advance(60_000);
    const again = await first.post(`/api/announcements/${id}/acknowledge`);
    expect(again.body.acknowledgedAt).toBe(acknowledged.body.acknowledgedAt);
    // Not among those it was published to: nothing to acknowledge.
    expect((await manager.post(`/api/announcements/${id}/acknowledge`)).status).toBe(409);
    expect(await pendingTitles(first)).toEqual([]);

    const reach = await viewer.get(`/api/announcements/${id}/reach`);
    expect(reach.status).toBe(200);
    expect(reach.body.staff).toMatchObject({ recipients: 2, acknowledged: 1, pending: 1 });
    const listed = await viewer.get('/api/announcements?status=published');
    expect(listed.body.announcements).toEqual([expect.objectContaining({ id, recipients: 2, acknowledged: 1 })]);
  });

  it('sends the customer mailing through the delivery pipeline, each customer on their own channel', async () => {
    await t.app.worker.drain();
    const reach = await manager.get(`/api/announcements/${id}/reach`);
    expect(reach.body.customers).toMatchObject({
      total: 5,
      created: 5,
      sent: 5,
      failed: 0,
      suppressed: 0,
      channels: { email: 3, fax: 2 },
      templateName: 'Channel change request',
    });
    expect(smtp.received.map((mail) => mail.to[0]).sort()).toEqual([
      'c1@announce.example',
      'c2@announce.example',
      'c3@announce.example',
    ]);
    const archived = await rows<{ n: number }>(
      t.app.storage.db,
      sql`select count(*)::int as n from communications
          where batch_run_id = ${reach.body.customers.batchRunId} and archive_sha256 is not null`,
    );
    expect(archived[0]!.n).toBe(5);
  });

  it('reminds only those who have not acknowledged, until it is closed', async () => {
    clock.advance(25 * 3_600_000);
    await t.app.worker.drain();
    const kinds = async (client: TestClient) =>
      (await client.get('/api/notifications')).body.notifications.map((notice: { kind: string }) => notice.kind);
    expect(await kinds(second)).toEqual(['announcement.reminder', 'announcement']);
    expect(await kinds(first)).toEqual(['announcement']);
    const reach = await manager.get(`/api/announcements/${id}/reach`);
    const reminded = Object.fromEntries(
      reach.body.staff.people.map((person: { userId: string; lastRemindedAt: string | null }) => [
        person.userId,
        person.lastRemindedAt !== null,
      ]),
    );
    expect(reminded).toEqual({ [first.user.id]: false, [second.user.id]: true });

    expect((await first.post(`/api/announcements/${id}/close`)).status).toBe(403);
    expect((await manager.post(`/api/announcements/${id}/close`)).body.status).toBe('closed');
    expect(await pendingTitles(second)).toEqual([]);
    clock.advance(25 * 3_600_000);
    await t.app.worker.drain();
    expect(await kinds(second)).toEqual(['announcement.reminder', 'announcement']);
  });

  it('goes to everyone on staff when no team is named, without a customer mailing', async () => {
    const created = await manager.post('/api/announcements', { title: 'New phone system', body: 'Monday.' });
    const published = await manager.post(`/api/announcements/${created.body.id}/publish`);
    expect(published.body).toMatchObject({ status: 'published', batchRunId: null, addressedToMe: true });
    const reach = await manager.get(`/api/announcements/${created.body.id}/reach`);
    expect(reach.body.staff.recipients).toBe(5);
    expect(reach.body.customers).toBeNull();
    expect(await pendingTitles(viewer)).toEqual(['New phone system']);
  });
});
