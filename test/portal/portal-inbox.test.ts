import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';
import { portalDesk } from './support.js';

let t: TestApp;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let ann: Awaited<ReturnType<typeof desk.customer>>;
let portal: PortalClient;
const sent: Record<'email' | 'letter' | 'portal', string> = { email: '', letter: '', portal: '' };

beforeAll(async () => {
  t = await startTestApp();
  desk = await portalDesk(t);
  ann = await desk.customer();
  sent.email = await desk.send(ann.id, '30 November');
  await desk.prefer(ann.id, 'letter');
  sent.letter = await desk.send(ann.id, '1 December');
  await desk.prefer(ann.id, 'portal');
  sent.portal = await desk.send(ann.id, '2 December');
  await desk.prefer(ann.id, 'email');
  portal = await portalSignIn(t, ann.email);
}, 120_000);
afterAll(() => t.close());

describe('my inbox', () => {
  it('lists what was sent to me on every channel, newest first, a page at a time', async () => {
    const first = await portal.get('/api/portal/inbox?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({
        kind: 'communication',
        id: sent.portal,
        channel: 'portal',
        templateName: 'Meter reading reminder',
      }),
      expect.objectContaining({ id: sent.letter, channel: 'letter', mediaType: 'application/pdf' }),
    ]);
    const second = await portal.get(`/api/portal/inbox?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([sent.email]);
    expect(second.body.items[0]).toMatchObject({ channel: 'email', mediaType: 'message/rfc822' });
    // The sign-in link this session came from is a key, not a letter: it is not in the inbox.
    expect(second.body.nextCursor).toBeNull();
  });

  it('lists nothing that has not reached me yet', async () => {
    const queued = await desk.send(ann.id, '3 December', false);
    const listed = (await portal.get('/api/portal/inbox')).body.items.map((item: { id: string }) => item.id);
    expect(listed).not.toContain(queued);
    expect((await portal.get(`/api/portal/communications/${queued}`)).status).toBe(404);
    await t.app.worker.drain();
    expect((await portal.get('/api/portal/inbox')).body.items[0].id).toBe(queued);
  });
});

describe('paging over letters made in one transaction', () => {
  it('shows each once, newest first, however many share their instant', async () => {
    const carol = await desk.customer();
    const client = await portalSignIn(t, carol.email);
    // A batch run's page: rows of one transaction share their timestamp to the microsecond.
    await t.app.storage.db.execute(sql`
      insert into communications (customer_id, template_id, template_version_id, purpose, status, channel,
        archive_sha256, archive_media_type, created_by, created_at, sent_at)
      select ${carol.id}, c.template_id, c.template_version_id, 'service', 'sent', 'letter', c.archive_sha256,
        c.archive_media_type, 'test', '2026-11-23 09:00:00.123456+00', '2026-11-23 09:00:00.123456+00'
      from communications c, generate_series(1, 30) where c.id = ${sent.letter}`);
    const expected = (
      await rows<{ id: string }>(
        t.app.storage.db,
        sql`select id from communications where customer_id = ${carol.id} and channel = 'letter' order by created_at desc, id desc`,
      )
    ).map((row) => row.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await client.get(
        `/api/portal/inbox?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(expected).toHaveLength(30);
    expect(seen).toEqual(expected);
  });
});

describe('one communication', () => {
  it('shows an email as it was sent: its subject, its HTML and its text part', async () => {
    const email = await portal.get(`/api/portal/communications/${sent.email}`);
    expect(email.status).toBe(200);
    expect(email.body).toMatchObject({
      id: sent.email,
      channel: 'email',
      subject: 'Meter reading due, Ann',
      complaint: null,
    });
    expect(email.body.html).toContain(`Dear ${ann.name},`);
    expect(email.body.html).toContain('please send your meter reading by 30 November.');
    expect(email.body.html).not.toMatch(/<script|<title/);
    expect(email.body.text).toContain('please send your meter reading by 30 November.');
  });

  it('shows a portal message as its HTML', async () => {
    const message = await portal.get(`/api/portal/communications/${sent.portal}`);
    expect(message.body).toMatchObject({
      channel: 'portal',
      subject: 'Meter reading due',
      html: '<p>Please send your meter reading by 2 December.</p>\n',
      text: null,
    });
  });

  it('shows a letter as its PDF in the page, saves it as a file, and audits each download', async () => {
    const letter = await portal.get(`/api/portal/communications/${sent.letter}`);
    expect(letter.body).toMatchObject({
      channel: 'letter',
      html: null,
      text: null,
      copyUrl: `/api/portal/communications/${sent.letter}/copy`,
      downloadUrl: `/api/portal/communications/${sent.letter}/copy?download=1`,
    });

    const shown = await portal.get(letter.body.copyUrl);
    expect(shown.status).toBe(200);
    expect(shown.headers['content-type']).toBe('application/pdf');
    expect(shown.headers['content-disposition']).toMatch(/^inline; /);
    expect(shown.text.startsWith('%PDF-')).toBe(true);

    const saved = await portal.get(letter.body.downloadUrl);
    expect(saved.headers['content-disposition']).toMatch(/^attachment; filename="communication-.*\.pdf"/);

    const admin = await t.signedIn(['admin']);
    const audited = await admin.get(`/api/audit?action=communication.copy_downloaded&entityId=${sent.letter}`);
    expect(audited.body.events).toHaveLength(2);
    expect(audited.body.events[0]).toMatchObject({ actorLabel: `portal:${ann.email}`, entityType: 'communication' });
  });
});

// Last in this file: the disposition below destroys every archived copy made so far.
describe('what a disposition destroyed', () => {
  it('leaves it out of my inbox, and its copy answers that its content is gone', async () => {
    const dora = await desk.customer({ channelPreferences: ['portal'] });
    const client = await portalSignIn(t, dora.email);
    const gone = await desk.send(dora.id, '4 December');
    expect((await client.get('/api/portal/inbox')).body.items.map((item: { id: string }) => item.id)).toEqual([gone]);

    const recordsManager = await t.signedIn(['records_manager']);
    const { categories } = (await recordsManager.get('/api/record-categories')).body;
    const builtIn = categories.find((category: { builtIn: boolean }) => category.builtIn);
    await recordsManager.patch(`/api/record-categories/${builtIn.id}`, { trigger: 'creation', years: 0 });
    const batch = await recordsManager.post('/api/disposition-batches', {});
    expect(batch.status).toBe(201);
    expect((await recordsManager.post(`/api/disposition-batches/${batch.body.id}/approve`, {})).status).toBe(200);

    expect((await client.get('/api/portal/inbox')).body.items).toEqual([]);
    expect((await client.get(`/api/portal/communications/${gone}`)).status).toBe(404);
    const copy = await client.get(`/api/portal/communications/${gone}/copy`);
    expect(copy.status).toBe(404);
    expect(copy.body.message).not.toMatch(/blob/i);

    const admin = await t.signedIn(['admin']);
    for (const path of ['copy', 'proof.zip']) {
      const staff = await admin.get(`/api/communications/${gone}/${path}`);
      expect(staff.status).toBe(404);
      expect(staff.body.error).toBe('communication.disposed');
    }
  });
});
