import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { yearlySaving } from '../../src/insights/channel-shift/channel-shift-saving.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';

let t: TestApp;
let manager: TestClient;
let viewer: TestClient;
let admin: TestClient;
const ids: Record<string, string> = {};
const segments: Record<string, string> = {};
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });
const daysAgo = (days: number) => new Date(clock.now().getTime() - days * 86_400_000).toISOString();

/** Customers by name with their first channel, tagged for the segment under test. */
async function customer(name: string, preferences: string[], tags: string[]) {
  const [row] = await rows<{ id: string }>(
    t.app.storage.db,
    sql`insert into customers (kind, name, given_name, family_name, emails, fax, channel_preferences, tags)
        values ('person', ${name}, ${name}, 'Test', ${`{${name.toLowerCase()}@shift.example}`}::text[], '+49 30 1',
                ${`{${preferences.join(',')}}`}::text[], ${`{${tags.join(',')}}`}::text[])
        returning id`,
  );
  ids[name] = row!.id;
}

/** An item that reached (or did not reach) a customer on a channel, some days ago, costing what it cost. */
async function item(name: string, channel: string, days: number, status = 'sent', cost = 0) {
  await t.app.storage.db.execute(sql`
    insert into communications (customer_id, template_id, template_version_id, purpose, status, channel, cost_millicents, created_by, created_at)
    select ${ids[name]}, t.id, v.id, 'service', ${status}, ${channel}, ${cost}, 'fixture', ${daysAgo(days)}::timestamptz
    from templates t join template_versions v on v.template_id = t.id where t.key = 'channel-change-request'`);
}

async function segment(tag: string) {
  const created = await manager.post('/api/segments', { name: `Shift ${tag}`, filter: { tagsAll: [tag] } });
  expect(created.status).toBe(201);
  segments[tag] = created.body.id;
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  manager = await t.signedIn(['manager']);
  viewer = await t.signedIn(['viewer']);
  admin = await t.signedIn(['admin']);
  // Known rates (thousandths of a cent): a letter 80 ¢, a fax 4 ¢, an email 0.2 ¢, the portal nothing.
  for (const [channel, costMillicents] of Object.entries({ letter: 80_000, fax: 4_000, email: 200, portal: 0 }))
    expect((await admin.put(`/api/channel-rates/${channel}`, { costMillicents })).status).toBe(200);

  await customer('Fiona', ['fax', 'letter'], ['shift']);
  await customer('Lars', ['letter'], ['shift']);
  await customer('Quiet', ['letter'], ['shift']);
  await customer('Emil', ['email'], ['shift']);
  await customer('Outsider', ['fax'], ['elsewhere']);
  await customer('Nobody', ['letter'], ['silent']);
  for (const days of [10, 100, 300]) await item('Fiona', 'fax', days);
  await item('Fiona', 'fax', 400); // older than twelve months
  await item('Fiona', 'fax', 20, 'failed'); // never reached her
  await item('Lars', 'letter', 30, 'delivered');
  await item('Lars', 'letter', 60, 'awaiting_print');
  await item('Emil', 'letter', 50); // already moved to email: nothing to move
  await item('Outsider', 'fax', 5); // not in the segment
  await segment('shift');
  await segment('silent');
  await segment('empty');
});
afterAll(() => t.close());

describe('the channel-shift saving', () => {
  it('is each paper item’s rate less the target’s, and nothing without items', () => {
    const rates = { email: 200, sms: 7_000, letter: 80_000, fax: 4_000, portal: 0 };
    expect(yearlySaving({ letter: 2, fax: 3 }, rates, 'email')).toMatchObject({
      items: 5,
      currentCostMillicents: 172_000,
      newCostMillicents: 1_000,
      savingMillicents: 171_000,
    });
    expect(yearlySaving({ letter: 2, fax: 3 }, rates, 'portal').savingMillicents).toBe(172_000);
    expect(yearlySaving({}, rates, 'email')).toMatchObject({ items: 0, currentCostMillicents: 0, savingMillicents: 0 });
  });
});

describe('the channel-shift planner', () => {
  it("computes a segment's yearly saving from the last twelve months' letters and faxes at today's rates", async () => {
    const plan = await viewer.get(`/api/channel-shifts/plan?segmentId=${segments.shift}&target=email`);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      segment: { name: 'Shift shift' },
      customers: 3,
      byChannel: { letter: 2, fax: 1 },
      items: 5,
      currentCostMillicents: 172_000,
      newCostMillicents: 1_000,
      savingMillicents: 171_000,
      targetRateMillicents: 200,
    });
    expect(plan.body.lines).toEqual([
      expect.objectContaining({ channel: 'letter', items: 2, rateMillicents: 80_000, savingMillicents: 159_600 }),
      expect.objectContaining({ channel: 'fax', items: 3, rateMillicents: 4_000, savingMillicents: 11_400 }),
    ]);
    const portal = await viewer.get(`/api/channel-shifts/plan?segmentId=${segments.shift}&target=portal`);
    expect(portal.body.savingMillicents).toBe(172_000);
  });

  it('saves nothing for customers without items and for an empty segment', async () => {
    const silent = await viewer.get(`/api/channel-shifts/plan?segmentId=${segments.silent}&target=email`);
    expect(silent.body).toMatchObject({ customers: 1, items: 0, currentCostMillicents: 0, savingMillicents: 0 });
    const empty = await viewer.get(`/api/channel-shifts/plan?segmentId=${segments.empty}&target=portal`);
    expect(empty.body).toMatchObject({ customers: 0, items: 0, savingMillicents: 0, byChannel: { letter: 0, fax: 0 } });
  });

  it('refuses a target that is not email or the portal', async () => {
    expect((await viewer.get(`/api/channel-shifts/plan?segmentId=${segments.shift}&target=fax`)).status).toBe(400);
  });
});

describe('a started channel shift', () => {
  let shiftId: string;

  it('is started by a manager with a draft announcement asking its customers to move', async () => {
    expect((await viewer.post('/api/channel-shifts', { segmentId: segments.shift, target: 'email' })).status).toBe(403);
    const started = await manager.post('/api/channel-shifts', { segmentId: segments.shift, target: 'email' });
    expect(started.status).toBe(201);
    shiftId = started.body.id;
    expect(started.body).toMatchObject({
      customerCount: 3,
      plannedSavingMillicents: 171_000,
      volumes: { letter: 2, fax: 3 },
      announcement: { status: 'draft' },
      outcome: { movedCustomers: 0, realisedSavingMillicents: 0, projectedSavingPerYearMillicents: 0 },
    });
    const announcement = await manager.get(`/api/announcements/${started.body.announcement.id}`);
    expect(announcement.body).toMatchObject({
      segmentName: 'Shift shift',
      templateKey: 'channel-change-request',
      customerData: { newChannel: 'email', preferencesUrl: expect.stringMatching(/\/portal\/settings$/) },
    });
    expect((await viewer.get('/api/channel-shifts')).body.shifts.map((row: { id: string }) => row.id)).toEqual([
      shiftId,
    ]);
  });

  it('shows customers moved since and the saving realised against the plan', async () => {
    clock.advance(3_600_000);
    const moved = await manager.patch(`/api/customers/${ids.Fiona}`, { channelPreferences: ['email', 'fax'] });
    expect(moved.status).toBe(200);
    await item('Fiona', 'email', 0, 'sent', 200);
    await item('Fiona', 'email', 0, 'failed', 0); // did not reach her: saves nothing yet
    const shift = await viewer.get(`/api/channel-shifts/${shiftId}`);
    expect(shift.status).toBe(200);
    expect(shift.body.outcome).toMatchObject({
      movedCustomers: 1,
      movedShare: 1 / 3,
      // Fiona's three faxes a year at 4 ¢ now go by email at 0.2 ¢.
      projectedSavingPerYearMillicents: 11_400,
      digitalItemsSince: 1,
      realisedSavingMillicents: 3_800,
      mailingCostMillicents: 0,
    });
  });
});
