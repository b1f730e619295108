import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { publishedNotice, startSmtpReceiver, waitFor } from './support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({
    config: { smtpUrl: smtp.url },
    workerPollMs: 50,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
  });
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
const finished = (runId: string) =>
  waitFor(
    () => progressOf(runId),
    (run) => ['completed', 'cancelled'].includes(run.status),
    60_000,
  );

async function communicationsPerCustomer(runId: string) {
  return rows<{ customers: number; communications: number }>(
    t.app.storage.db,
    sql`select count(distinct customer_id)::int as customers, count(*)::int as communications from communications where batch_run_id = ${runId}`,
  ).then((result) => result[0]!);
}

describe('batch runs', () => {
  it('sends one communication to every customer of the segment, by email or letter, and completes at 100%', async () => {
    const segmentId = await customersTagged('spring', 30);
    t.app.worker.start();
    const started = await startRun(segmentId);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', total: 30 });

    const run = await finished(started.body.id);
    expect(run).toMatchObject({
      status: 'completed',
      total: 30,
      created: 30,
      done: 30,
      percent: 100,
      channels: { email: 20, letter: 10 },
      templateName: 'Meter reading reminder',
      segmentName: 'Tagged spring',
    });
    expect(run.finishedAt).not.toBeNull();
    expect(run.statuses).toEqual({ sent: 20, rendered: 10 });
    expect(await communicationsPerCustomer(run.id)).toEqual({ customers: 30, communications: 30 });
    expect(smtp.received.filter((mail) => mail.to[0]!.endsWith('.spring@example.test'))).toHaveLength(20);

    const listed = await manager.get(`/api/communications?batchRunId=${run.id}&limit=200`);
    expect(listed.body.communications).toHaveLength(30);
    expect((await manager.get('/api/batch-runs')).body.runs[0]).toMatchObject({
      id: run.id,
      status: 'completed',
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
    const run = await finished((await startRun(await customersTagged('costed', 6))).body.id);
    expect(run).toMatchObject({ channels: { email: 4, letter: 2 }, costMillicents: 4 * 250 + 2 * 85_000 });
    const audit = await (await t.signedIn(['admin'])).get('/api/audit?action=channel_rate.set');
    expect(audit.body.events[0]).toMatchObject({ action: 'channel_rate.set', entityId: 'email' });

    // A large run's cost passes what a 32-bit sum holds (about 21 million cents).
    for (const channel of ['email', 'letter'])
      expect((await manager.put(`/api/channel-rates/${channel}`, { costMillicents: 100_000_000 })).status).toBe(200);
    const costly = await finished((await startRun(await customersTagged('costly', 33))).body.id);
    expect(costly).toMatchObject({ status: 'completed', costMillicents: 33 * 100_000_000 });
  });

  it('streams progress as server-sent events until the run ends', async () => {
    const segmentId = await customersTagged('events', 12);
    const run = (await startRun(segmentId)).body;
    // The stream ends when the run does, so the whole of it can be read as one response.
    const response = await manager.get(`/api/batch-runs/${run.id}/events`);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const events = [...response.text.matchAll(/event: progress\ndata: (.+)\n/g)].map((match) => JSON.parse(match[1]!));
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ status: 'completed', done: 12, percent: 100, segmentName: 'Tagged events' });
    expect(events.at(-1).finishedAt).toEqual(expect.any(String));
  });

  it('waits for its start time, and a scheduled run paused and resumed waits for it again', async () => {
    const segmentId = await customersTagged('later', 3);
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const run = (await startRun(segmentId, { scheduledAt })).body;
    expect(run).toMatchObject({ status: 'scheduled', scheduledAt });
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('scheduled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await progressOf(run.id)).toMatchObject({ status: 'scheduled', created: 0, startedAt: null });
  });

  it('pauses, resumes and completes; a cancelled run sends nothing more and says why', async () => {
    await t.app.worker.stop();
    const segmentId = await customersTagged('paused', 8);
    const run = (await startRun(segmentId)).body;
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).body.status).toBe('paused');
    t.app.worker.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await progressOf(run.id)).created).toBe(0);
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).status).toBe(409);
    expect((await manager.post(`/api/batch-runs/${run.id}/resume`)).body.status).toBe('running');
    expect(await finished(run.id)).toMatchObject({ status: 'completed', done: 8 });

    await t.app.worker.stop();
    const cancelled = (await startRun(await customersTagged('cancelled', 6))).body;
    await t.app.services.runs.expand(cancelled.id, async () => {});
    expect((await manager.post(`/api/batch-runs/${cancelled.id}/cancel`)).body.status).toBe('cancelled');
    t.app.worker.start();
    const outcome = await waitFor(
      () => progressOf(cancelled.id),
      (progress) => progress.done === 6,
    );
    expect(outcome).toMatchObject({ status: 'cancelled', created: 6, statuses: { suppressed: 6 } });
    const items = (await manager.get(`/api/communications?batchRunId=${cancelled.id}`)).body.communications;
    expect(items.map((item: { statusReason: string }) => item.statusReason)).toEqual(
      Array(6).fill('The batch run was cancelled.'),
    );
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.post(`/api/batch-runs/${run.id}/cancel`)).status).toBe(403);
  });

  it('resumes an expansion that stopped between pages: every customer gets exactly one communication', async () => {
    await t.app.worker.stop();
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
    const segmentId = (await manager.get('/api/segments')).body.segments[0].id;
    const response = await manager.post('/api/batch-runs', { template: 'meter-reading', segmentId, data: {} });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/due/);
  });
});
