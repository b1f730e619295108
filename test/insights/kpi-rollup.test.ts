import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKpiRollupScheduled, KPI_ROLLUP_EVERY_MS, KPI_ROLLUP_JOB } from '../../src/insights/insights.jobs.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';

const DAY = 86_400_000;
const clock = testClock(new Date(), { ticking: true });
/** The day the communications were made: two days before "today" once the clock has moved on. */
const made = new Date(Math.floor(clock.now().getTime() / DAY) * DAY);
const day = (offset: number, hours = 0) => new Date(made.getTime() + offset * DAY + hours * 3_600_000);
const isoDay = (offset: number) => day(offset).toISOString().slice(0, 10);

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;
let agent: TestClient;
let admin: TestClient;
let viewer: TestClient;
let kpis: { key: string; filters: string[] }[];
let filterValues: Record<string, string>;
let sent: {
  id: string;
  providerMessageId: string;
  status: string;
  statusReason: string | null;
  attempts: { outcome: string; detail: string | null }[];
}[];

/** Sessions last a day: everyone signs in again after the clock moves on by one. */
async function signIn() {
  manager = await t.signedIn(['manager']);
  agent = await t.signedIn(['agent']);
  admin = await t.signedIn(['admin']);
  viewer = await t.signedIn(['viewer']);
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ clock, config: { smtpUrl: smtp.url } });
  await publishedNotice(t);
  await signIn();
  kpis = (await viewer.get('/api/insights/kpis')).body.kpis;

  // Four emails in a run to a segment, a complaint and a question about two of them, in a queue.
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text, array['c' || n || '@rollup.example'], array['email'],
      array['rollup']
    from generate_series(1, 4) n`);
  const segment = await manager.post('/api/segments', { name: 'Rollup', filter: { tagsAll: ['rollup'] } });
  const run = await manager.post('/api/batch-runs', {
    template: 'meter-reading',
    segmentId: segment.body.id,
    data: { due: '30 November' },
  });
  expect(run.status).toBe(201);
  await t.app.worker.drain();
  const listed = (await agent.get(`/api/communications?batchRunId=${run.body.id}`)).body.communications as {
    id: string;
    customerId: string;
  }[];
  sent = await Promise.all(
    listed.map(async ({ id }) => (await agent.get(`/api/communications/${id}`)).body as (typeof sent)[number]),
  );
  // Every figure below counts these four as sent on the day they were made; if one is not, this says how it stands.
  expect(
    sent.map(({ status, statusReason, attempts }) =>
      [status, statusReason, ...attempts.map((attempt) => `${attempt.outcome} ${attempt.detail ?? ''}`)]
        .filter(Boolean)
        .join('; '),
    ),
  ).toEqual(Array(4).fill(expect.stringMatching(/^sent;/)));
  const queue = await admin.post('/api/ticket-queues', { name: `Rollup queue ${Date.now()}` });
  const tickets = [];
  for (const [item, kind] of [
    [listed[0]!, 'complaint'],
    [listed[1]!, 'inquiry'],
  ] as const)
    tickets.push(
      await agent.post('/api/tickets', {
        kind,
        subject: `About the reminder (${kind})`,
        customerId: item.customerId,
        communicationId: item.id,
        queueId: queue.body.id,
      }),
    );
  filterValues = {
    channel: 'email',
    batchRunId: run.body.id,
    segmentId: segment.body.id,
    templateVersionId: run.body.templateVersionId,
    queueId: queue.body.id,
  };

  // Next day the complaint is answered and resolved; the day after is "today".
  clock.advance(DAY);
  await signIn();
  await agent.post(`/api/tickets/${tickets[0]!.body.id}/replies`, { body: 'Sorry.', channel: 'email' });
  expect((await agent.post(`/api/tickets/${tickets[0]!.body.id}/actions`, { action: 'resolve' })).status).toBe(200);
  clock.advance(DAY);
  await signIn();
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const periods = {
  'a week by day': `from=${day(-3).toISOString()}&to=${day(4).toISOString()}&bucket=day`,
  'from midday, by week': `from=${day(-1, 12).toISOString()}&to=${day(3).toISOString()}&bucket=week`,
  'empty days long before': `from=${day(-30).toISOString()}&to=${day(-20).toISOString()}&bucket=day`,
};

/** Every KPI over every period, and narrowed by each filter it takes; what a reader sees of each. */
async function answers() {
  const seen: Record<string, unknown> = {};
  for (const kpi of kpis) {
    const queries = Object.entries(periods).map(([name, period]) => [name, period]);
    for (const filter of kpi.filters)
      if (filterValues[filter]) queries.push([filter, `${periods['a week by day']}&${filter}=${filterValues[filter]}`]);
    for (const [name, query] of queries) {
      const answer = await viewer.get(`/api/insights/kpis/${kpi.key}?${query}`);
      expect(answer.status).toBe(200);
      const { points, total, groups } = answer.body;
      seen[`${kpi.key} ${name}`] = { points, total, groups };
    }
  }
  return seen;
}

/** The answers of the live query alone: without the rollup's state every day is read live. */
async function liveAnswers() {
  await t.app.storage.db.execute(sql`delete from kpi_rollups`);
  await t.app.storage.db.execute(sql`delete from kpi_daily`);
  return answers();
}

const refresh = () => t.app.services.kpiRollup.refresh();

describe('the daily KPI rollup', () => {
  it('answers every KPI, filter, bucket and empty period from closed days as the live query does', async () => {
    const live = await liveAnswers();
    expect(
      (await viewer.get(`/api/insights/kpis/communications_sent?${periods['a week by day']}`)).body.rollup,
    ).toBeNull();

    const summed = await refresh();
    expect(summed).toContainEqual({ kpi: 'bounce_rate', from: '2000-01-01', to: isoDay(2) });
    const rolled = await viewer.get(`/api/insights/kpis/communications_sent?${periods['a week by day']}`);
    expect(rolled.body.rollup).toMatchObject({ from: isoDay(-3), to: isoDay(2) });
    expect(rolled.body.points.find((point: { bucket: string }) => point.bucket === isoDay(0)).value).toBe(4);
    expect(await answers()).toEqual(live);

    // Nothing in the period: counts of zero, and no rate where nothing divides, from the rollup too.
    const empty = await viewer.get(`/api/insights/kpis/complaint_rate?${periods['empty days long before']}`);
    expect(empty.body.rollup).not.toBeNull();
    expect(empty.body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(empty.body.points.every((point: { value: number | null }) => point.value === null)).toBe(true);
    // The backlog on each closed day: the two tickets open from their day, the complaint resolved the next.
    const backlog = await viewer.get(
      `/api/insights/kpis/backlog?${periods['a week by day']}&queueId=${filterValues.queueId}`,
    );
    expect(backlog.body.points.map((point: { value: number }) => point.value)).toEqual([0, 0, 0, 2, 1, 1, 1]);
  });

  it('keeps one refresh waiting when Tidings starts again after the quarter hour it waits for', async () => {
    const waiting = async () =>
      (await t.app.queue.list({ kind: KPI_ROLLUP_JOB, status: 'queued', limit: 10 })).jobs.map((job) => job.runAt);
    const before = await waiting();
    expect(before).toHaveLength(1);
    clock.advance(KPI_ROLLUP_EVERY_MS);
    await ensureKpiRollupScheduled(t.app.db, t.app.queue, clock);
    expect(await waiting()).toEqual(before);
    clock.advance(-KPI_ROLLUP_EVERY_MS);
  });

  it('takes in a late bounce on a closed day at the next refresh, and says how old its closed days are', async () => {
    await refresh();
    const before = (await viewer.get(`/api/insights/kpis/communications_sent?${periods['a week by day']}`)).body;
    // The first email, sent two days ago, bounces today; it is sent again, in the portal.
    const bounced = await admin.post('/api/delivery/bounces', { messageId: sent[0]!.providerMessageId, kind: 'hard' });
    expect(bounced.status).toBe(200);
    await t.app.worker.drain();
    expect((await agent.get(`/api/communications/${sent[0]!.id}`)).body).toMatchObject({ channel: 'portal' });

    const refreshed = await refresh();
    expect(refreshed).toContainEqual({ kpi: 'delivery_rate', from: isoDay(2 - 35), to: isoDay(2) });
    const after = await viewer.get(`/api/insights/kpis/communications_sent?${periods['a week by day']}`);
    expect(Date.parse(after.body.rollup.refreshedAt)).toBeGreaterThan(Date.parse(before.rollup.refreshedAt));
    // Handed over on a closed day (from the rollup), bounced today (live): one in four.
    const bounce = await viewer.get(`/api/insights/kpis/bounce_rate?${periods['a week by day']}&channel=email`);
    expect(bounce.body.total).toEqual({ value: 25, numerator: 1, denominator: 4 });

    const rolled = await answers();
    expect(rolled).toEqual(await liveAnswers());
  });
});
