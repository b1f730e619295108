import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_BATCH } from '../../src/communications/delivery-batch.js';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { waitFor } from '../support/wait-for.js';
import { publishedNotice, startSmtpReceiver } from './support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;
// No worker loop runs here: each test runs the jobs that are due with `drain`, and moves this clock.
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ clock, config: { smtpUrl: smtp.url } });
  await publishedNotice(t);
  manager = await t.signedIn(['manager']);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/**
 * Customers tagged `tag`, made in one statement: every third one has only a postal address (a
 * letter), the rest an email address.
 */
async function customersTagged(tag: string, count: number) {
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, address, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text,
           case when n % 3 = 0 then '{}'::text[] else array['c' || n || '.' || ${tag} || '@example.test'] end,
           case when n % 3 = 0 then jsonb_build_object('lines', jsonb_build_array(n || ' High Street'), 'postalCode', 'AB1 2CD', 'city', 'Leeds', 'country', 'GB') end,
           case when n % 3 = 0 then array['letter'] else array['email'] end,
           array[${tag}]
    from generate_series(1, ${count}) n`);
  const segment = await manager.post('/api/segments', { name: `Tagged ${tag}`, filter: { tagsAll: [tag] } });
  expect(segment.status).toBe(201);
  return segment.body.id as string;
}

const startRun = (segmentId: string, extra: Record<string, unknown> = {}) =>
  manager.post('/api/batch-runs', { template: 'meter-reading', segmentId, data: { due: '30 November' }, ...extra });
const progressOf = (runId: string) => manager.get(`/api/batch-runs/${runId}`).then((response) => response.body);
/** Runs every job that is due, the run's expansion and deliveries included, and reads the run. */
async function afterDueJobs(runId: string) {
  await t.app.worker.drain();
  return progressOf(runId);
}
const mailsTo = (tag: string) => smtp.received.filter((mail) => mail.to[0]!.endsWith(`.${tag}@example.test`));

async function communicationsPerCustomer(runId: string) {
  return rows<{ customers: number; communications: number }>(
    t.app.storage.db,
    sql`select count(distinct customer_id)::int as customers, count(*)::int as communications from communications where batch_run_id = ${runId}`,
  ).then((result) => result[0]!);
}

describe('batch runs', () => {
  it('sends one communication to every customer of the segment, by email or letter, and is done at 100%', async () => {
    const segmentId = await customersTagged('spring', 30);
    const started = await startRun(segmentId);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', total: 30 });

    const run = await afterDueJobs(started.body.id);
    // The letters wait for the print batch: the run is done with them, their customers are not yet.
    expect(run).toMatchObject({
      status: 'awaiting_print',
      awaitingPrint: 10,
      total: 30,
      created: 30,
      done: 30,
      percent: 100,
      channels: { email: 20, letter: 10 },
      templateName: 'Meter reading reminder',
      segmentName: 'Tagged spring',
    });
    expect(run.finishedAt).toBeNull();
    expect(run.statuses).toEqual({ sent: 20, awaiting_print: 10 });
    expect(await communicationsPerCustomer(run.id)).toEqual({ customers: 30, communications: 30 });
    expect(mailsTo('spring')).toHaveLength(20);

    const listed = await manager.get(`/api/communications?batchRunId=${run.id}&limit=200`);
    expect(listed.body.communications).toHaveLength(30);
    expect((await manager.get('/api/batch-runs')).body.runs[0]).toMatchObject({
      id: run.id,
      status: 'awaiting_print',
      templateName: 'Meter reading reminder',
      segmentName: 'Tagged spring',
    });
  });

  it('costs each item at the rate for its channel, which a manager sets and an agent may only read', async () => {
    const rates = (await manager.get('/api/channel-rates')).body.rates;
    expect(rates).toContainEqual({ channel: 'email', costMillicents: 100, updatedAt: null });
    const agent = await t.signedIn(['agent']);
    expect((await agent.put('/api/channel-rates/email', { costMillicents: 1 })).status).toBe(403);
    expect((await manager.put('/api/channel-rates/email', { costMillicents: -5 })).text).toContain(
      'body.costMillicents',
    );
    expect((await manager.put('/api/channel-rates/pigeon', { costMillicents: 5 })).status).toBe(400);
    const set = await manager.put('/api/channel-rates/email', { costMillicents: 250 });
    expect(set.body.rates).toContainEqual({ channel: 'email', costMillicents: 250, updatedAt: expect.any(String) });

    // Rates are read at most every 30 seconds in other processes; this one forgot its copy on the change.
    const run = await afterDueJobs((await startRun(await customersTagged('costed', 6))).body.id);
    expect(run).toMatchObject({ channels: { email: 4, letter: 2 }, costMillicents: 4 * 250 + 2 * 85_000 });
    const audit = await (await t.signedIn(['admin'])).get('/api/audit?action=channel_rate.set');
    expect(audit.body.events[0]).toMatchObject({ action: 'channel_rate.set', entityId: 'email' });

    // A large run's cost passes what a 32-bit sum holds (about 21 million cents).
    for (const channel of ['email', 'letter'])
      expect((await manager.put(`/api/channel-rates/${channel}`, { costMillicents: 100_000_000 })).status).toBe(200);
    const costly = await afterDueJobs((await startRun(await customersTagged('costly', 33))).body.id);
    expect(costly).toMatchObject({ status: 'awaiting_print', costMillicents: 33 * 100_000_000 });
  });

  it('costs items at a rate another process set once its copy of the rates is 30 seconds old', async () => {
    expect((await manager.put('/api/channel-rates/email', { costMillicents: 300 })).status).toBe(200);
    const emailsOnly = async (tag: string) =>
      (await afterDueJobs((await startRun(await customersTagged(tag, 2))).body.id)).costMillicents;
    expect(await emailsOnly('rate-set')).toBe(2 * 300);
    // Another process changes the rate in the database: this one goes on with its copy for a while.
    await t.app.storage.db.execute(sql`update channel_rates set cost_millicents = 400 where channel = 'email'`);
    expect(await emailsOnly('rate-cached')).toBe(2 * 300);
    clock.advance(30_000);
    expect(await emailsOnly('rate-reread')).toBe(2 * 400);
  });

  it('streams progress as server-sent events until the run has done its part', async () => {
    const segmentId = await customersTagged('events', 12);
    const run = (await startRun(segmentId)).body;
    // The stream ends when the run does, so the whole of it can be read as one response. The jobs are
    // run until then: one delivery deferred by a busy machine (a retry, a lease run out) comes due later.
    let ended = false;
    const streamed = manager.get(`/api/batch-runs/${run.id}/events`).finally(() => (ended = true));
    while (!ended) await Promise.all([t.app.worker.drain(), sleep(100)]);
    const response = await streamed;
    expect(response.headers['content-type']).toBe('text/event-stream');
    const events = [...response.text.matchAll(/event: progress\ndata: (.+)\n/g)].map((match) => JSON.parse(match[1]!));
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({
      status: 'awaiting_print',
      awaitingPrint: 4,
      done: 12,
      percent: 100,
      segmentName: 'Tagged events',
    });
  });

  it('waits for its start time, and a scheduled run paused and resumed waits for it again', async () => {
    const segmentId = await customersTagged('later', 3);
    const scheduledAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const run = (await startRun(segmentId, { scheduledAt })).body;
    expect(run).toMatchObject({ status: 'scheduled', scheduledAt });
    expect(await afterDueJobs(run.id)).toMatchObject({ status: 'scheduled', created: 0, startedAt: null });
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('scheduled');
    expect(await afterDueJobs(run.id)).toMatchObject({ status: 'scheduled', created: 0, startedAt: null });
    clock.advance(3_600_000);
    expect(await afterDueJobs(run.id)).toMatchObject({
      status: 'awaiting_print',
      created: 3,
      done: 3,
      startedAt: expect.any(String),
    });
    expect(mailsTo('later')).toHaveLength(2);
  });

  it('a run paused before it starts creates nothing until it is resumed, then completes', async () => {
    const run = (await startRun(await customersTagged('paused', 8))).body;
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
    // Its expansion job runs, finds the run paused and creates nothing.
    expect(await afterDueJobs(run.id)).toMatchObject({ status: 'paused', created: 0, done: 0 });
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).status).toBe(409);
    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('running');
    expect(await afterDueJobs(run.id)).toMatchObject({ status: 'awaiting_print', created: 8, done: 8 });
    expect(mailsTo('paused')).toHaveLength(6);
  });

  it('a run paused while it sends holds its items back, and sends them when resumed', async () => {
    const run = (await startRun(await customersTagged('held', 6))).body;
    await t.app.services.runs.expand(run.id, async () => {});
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
    // Each delivery job finds the run paused and puts the item back for a little later.
    const held = await afterDueJobs(run.id);
    expect(held).toMatchObject({ status: 'paused', created: 6, done: 0 });
    expect(held.statuses).toEqual({ queued: 6 });
    expect(mailsTo('held')).toHaveLength(0);
    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('running');
    clock.advance(2_000);
    const resumed = await afterDueJobs(run.id);
    expect(resumed).toMatchObject({ status: 'awaiting_print', done: 6 });
    expect(resumed.statuses).toEqual({ sent: 4, awaiting_print: 2 });
    expect(mailsTo('held')).toHaveLength(4);
  });

  it('a run paused while its batches go out stops within the batches being handed over', async () => {
    const run = (await startRun(await customersTagged('brake', 600))).body;
    await t.app.services.runs.expand(run.id, async () => {});
    smtp.hold();
    t.app.worker.start();
    let doneAtPause: number;
    try {
      // The first batches are at the mail server, which sits on them: pause now.
      await waitFor(
        async () => smtp.holding(),
        (holding) => holding > 0,
      );
      expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
      doneAtPause = (await progressOf(run.id)).done;
      smtp.resume();
    } finally {
      await t.app.worker.stop();
    }
    const paused = await progressOf(run.id);
    const handedOver = (paused.statuses.sent ?? 0) + (paused.statuses.awaiting_print ?? 0);
    // What went out had been done before the pause (a first small batch of letters alone, say) or
    // loaded by one of the worker's slots, at most a batch each; nothing loaded after it went out.
    expect(handedOver).toBeGreaterThan(0);
    expect(handedOver).toBeLessThanOrEqual(doneAtPause + t.app.config.workers * DELIVER_BATCH);
    expect(paused).toMatchObject({ status: 'paused', created: 600, done: handedOver });
    expect(paused.statuses.queued).toBe(600 - handedOver);
    expect(mailsTo('brake')).toHaveLength(paused.statuses.sent);

    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('running');
    clock.advance(2_000);
    expect(await afterDueJobs(run.id)).toMatchObject({
      status: 'awaiting_print',
      done: 600,
      statuses: { sent: 400, awaiting_print: 200 },
    });
    expect(mailsTo('brake')).toHaveLength(400);
  });

  it('a cancelled run sends nothing more and says why; a viewer may not cancel', async () => {
    const cancelled = (await startRun(await customersTagged('cancelled', 6))).body;
    await t.app.services.runs.expand(cancelled.id, async () => {});
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.post(`/api/batch-runs/${cancelled.id}/cancel`)).status).toBe(403);
    expect((await manager.post(`/api/batch-runs/${cancelled.id}/cancel`)).body.status).toBe('cancelled');
    const outcome = await afterDueJobs(cancelled.id);
    expect(outcome).toMatchObject({ status: 'cancelled', created: 6, done: 6 });
    expect(outcome.statuses).toEqual({ suppressed: 6 });
    expect(mailsTo('cancelled')).toHaveLength(0);
    const items = (await manager.get(`/api/communications?batchRunId=${cancelled.id}`)).body.communications;
    expect(items.map((item: { statusReason: string }) => item.statusReason)).toEqual(
      Array(6).fill('The batch run was cancelled.'),
    );
  });

  it('resumes an expansion that stopped between pages: every customer gets exactly one communication', async () => {
    const segmentId = await customersTagged('resumed', 1_100);
    const run = (await startRun(segmentId)).body;
    // The first expansion dies after its first page of 500, as a killed worker would.
    await expect(
      t.app.services.runs.expand(run.id, async () => {
        throw new Error('worker killed');
      }),
    ).rejects.toThrow('worker killed');
    expect((await progressOf(run.id)).created).toBe(500);

    // The expansion job runs again: it carries on after the last page it finished.
    await t.app.services.runs.expand(run.id, async () => {});
    expect(await progressOf(run.id)).toMatchObject({ created: 1_100, total: 1_100 });
    expect(await communicationsPerCustomer(run.id)).toEqual({ customers: 1_100, communications: 1_100 });
    const [jobs] = await rows<{ n: number }>(
      t.app.storage.db,
      sql`select count(*)::int as n from jobs where kind = 'communication.deliver' and payload->>'communicationId' in (select id::text from communications where batch_run_id = ${run.id})`,
    );
    expect(jobs!.n).toBe(1_100);
  });

  it('refuses a run without the data the template declares, naming the field', async () => {
    const segmentId = await customersTagged('no-data', 3);
    const response = await manager.post('/api/batch-runs', { template: 'meter-reading', segmentId, data: {} });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ path: 'body.data.due', message: 'is required by the template' }]);
    expect(
      (await manager.get('/api/batch-runs')).body.runs.map((run: { segmentName: string }) => run.segmentName),
    ).not.toContain('Tagged no-data');
  });
});
