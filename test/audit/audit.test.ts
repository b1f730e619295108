import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('records who changed what, newest first, filterable by entity', async () => {
    const team = await admin.post('/api/teams', { name: 'Audited team' });
    await admin.patch(`/api/teams/${team.body.id}`, { description: 'Now with a description' });
    const trail = await admin.get(`/api/audit?entityType=team&entityId=${team.body.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.events.map((event: { action: string }) => event.action)).toEqual([
      'team.updated',
      'team.created',
    ]);
    expect(trail.body.events[0]).toMatchObject({
      actorId: admin.user.id,
      actorLabel: admin.user.email,
      summary: { description: 'Now with a description' },
    });
  });

  it('pages with a cursor', async () => {
    const first = await admin.get('/api/audit?limit=2');
    expect(first.body.events).toHaveLength(2);
    const second = await admin.get(`/api/audit?limit=2&before=${first.body.nextCursor}`);
    expect(second.body.events[0].seq).toBeLessThan(first.body.events[1].seq);
  });

  it('is readable by admins and records managers only', async () => {
    expect((await (await t.signedIn(['records_manager'])).get('/api/audit')).status).toBe(200);
    expect((await (await t.signedIn(['agent'])).get('/api/audit')).status).toBe(403);
  });
});

describe('tamper evidence', () => {
  let fresh: TestApp;
  let freshAdmin: Awaited<ReturnType<TestApp['signedIn']>>;

  // A chain of its own: the sign-in and three teams, five events.
  beforeAll(async () => {
    fresh = await startTestApp();
    freshAdmin = await fresh.signedIn(['admin']);
    for (const name of ['One', 'Two', 'Three']) await freshAdmin.post('/api/teams', { name });
  });
  afterAll(() => fresh.close());

  /** Tampers with the chain, verifies it through the API, and puts the chain back for the next case. */
  async function verifyAfter(tampering: ReturnType<typeof sql>) {
    await fresh.app.db.execute(sql`create table audit_events_before as select * from audit_events`);
    try {
      await fresh.app.db.execute(tampering);
      return (await freshAdmin.get('/api/audit/verify')).body;
    } finally {
      await fresh.app.db.execute(sql`delete from audit_events`);
      await fresh.app.db.execute(sql`insert into audit_events select * from audit_events_before`);
      await fresh.app.db.execute(sql`drop table audit_events_before`);
    }
  }

  it('verifies intact, then names the first event whose content was altered', async () => {
    expect((await freshAdmin.get('/api/audit/verify')).body).toEqual({ ok: true, checked: 5 });
    const altered = await verifyAfter(sql`update audit_events set summary = '{"name":"Forged"}' where seq = 4`);
    expect(altered).toEqual({
      ok: false,
      checked: 3,
      firstBreak: { seq: 4, reason: expect.stringContaining('altered') },
    });
  });

  it('names the missing event when one is deleted', async () => {
    const result = await verifyAfter(sql`delete from audit_events where seq = 3`);
    expect(result).toEqual({ ok: false, checked: 2, firstBreak: { seq: 3, reason: 'event 3 is missing' } });
  });

  it('names the event whose link was rewritten', async () => {
    const result = await verifyAfter(sql`update audit_events set prev_hash = repeat('a', 64) where seq = 5`);
    expect(result.firstBreak).toEqual({ seq: 5, reason: 'does not link to the event before it' });
  });
});
