import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rows } from '../../src/db/database.js';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { createWorker } from '../../src/jobs/worker.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { testEngine } from '../support/engine.js';
import { waitFor } from '../support/wait-for.js';

const LEASE_MS = 600;
const RETENTION_MS = 7 * 86_400_000;
const clock = testClock();
let t: TestApp;

let releaseBlocker: () => void = () => {};
let blockerStarted: () => void = () => {};
const blockerJob = defineJob({
  kind: 'test.blocker',
  payload: z.object({}),
  async run() {
    blockerStarted();
    await new Promise<void>((resolve) => (releaseBlocker = resolve));
  },
});
const quickJob = defineJob({ kind: 'test.quick', payload: z.object({ n: z.number() }), run: async () => {} });
const failingJob = defineJob({
  kind: 'test.failing',
  payload: z.object({}),
  async run() {
    throw new Error('always');
  },
});

beforeAll(async () => {
  t = await startTestApp({
    clock,
    jobDefinitions: [quickJob, failingJob],
    config: { jobLeaseMs: LEASE_MS, jobRetentionMs: RETENTION_MS },
  });
});
afterAll(() => t.close());

const quickJobs = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => ({ kind: 'test.quick', payload: { n: from + index } }));
type Row = { id: number; status: string; attempts: number; locked_by: string | null; last_error: string | null };
const jobsOfKind = (kind: string) =>
  rows<Row>(
    t.app.db,
    sql`select id::int as id, status, attempts, locked_by, last_error from jobs where kind = ${kind} order by id`,
  );

describe('claiming ahead of free slots', () => {
  it('holds the leases of jobs it claimed ahead, and gives them back untouched when it stops', async () => {
    // One slot, taken by a job that waits for the test: whatever else this worker claims waits behind it.
    const worker = createWorker({
      queue: t.app.queue,
      definitions: [blockerJob, quickJob],
      concurrency: 1,
      leaseMs: LEASE_MS,
      pollMs: 20,
      logger: pino({ level: 'silent' }),
    });
    // It claims ahead as many as it finishes in a short while: a first run of quick jobs teaches it that.
    await t.app.queue.enqueueMany(t.app.db, quickJobs(100));
    await worker.drain();

    await t.app.queue.enqueue(t.app.db, { kind: 'test.blocker', payload: {} });
    await t.app.queue.enqueueMany(t.app.db, quickJobs(50, 1000));
    const started = new Promise<void>((resolve) => (blockerStarted = resolve));
    worker.start();
    await started;
    const held = await waitFor(
      () => jobsOfKind('test.quick').then((all) => all.filter((job) => job.status === 'running')),
      (running) => running.length > 0,
    );
    for (const job of held) expect(job).toMatchObject({ locked_by: worker.id, attempts: 1 });

    // Past the lease they were claimed with: only the worker's heartbeat keeps them.
    for (let step = 0; step < 3; step++) {
      const renewedAfter = clock.now().getTime();
      clock.advance(LEASE_MS * 0.6);
      await waitFor(
        () =>
          rows<{ oldest: Date }>(
            t.app.db,
            sql`select min(locked_until) as oldest from jobs where locked_by = ${worker.id} and status = 'running'`,
          ),
        ([row]) => new Date(row!.oldest).getTime() > renewedAfter + LEASE_MS,
        { timeoutMs: 10_000 },
      );
    }
    const intruder = await t.app.queue.claim('intruder', ['test.quick'], 100, LEASE_MS);
    const heldIds = new Set(held.map((job) => job.id));
    expect(intruder.filter((job) => heldIds.has(job.id))).toEqual([]);
    await t.app.queue.release(
      'intruder',
      intruder.map((job) => job.id),
      { started: false },
    );

    const stopped = worker.stop(30_000);
    releaseBlocker();
    await stopped;
    const after = (await jobsOfKind('test.quick')).filter((job) => heldIds.has(job.id));
    expect(after).toHaveLength(held.length);
    // Never started: queued again at once, the attempt not counted, no error written.
    for (const job of after)
      expect(job).toMatchObject({ status: 'queued', attempts: 0, locked_by: null, last_error: null });
    const reclaimed = await t.app.queue.claim('next', ['test.quick'], 100, LEASE_MS);
    expect(reclaimed.map((job) => job.id)).toEqual(expect.arrayContaining([...heldIds]));
    await t.app.queue.release(
      'next',
      reclaimed.map((job) => job.id),
      { started: false },
    );
    expect((await jobsOfKind('test.blocker'))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});

describe('finished jobs', () => {
  it('are deleted after the retention period; queued, recent and dead ones stay', async () => {
    await t.app.worker.drain();
    const [old] = await jobsOfKind('test.quick').then((all) => all.filter((job) => job.status === 'succeeded'));
    expect(old).toBeDefined();
    await t.app.queue.enqueue(t.app.db, { kind: 'test.failing', payload: {}, maxAttempts: 1 });
    const dueLater = await t.app.queue.enqueue(t.app.db, {
      kind: 'test.quick',
      payload: { n: -1 },
      runAt: new Date(clock.now().getTime() + 30 * 86_400_000),
    });
    await t.app.worker.drain();
    const [dead] = await jobsOfKind('test.failing');
    expect(dead).toMatchObject({ status: 'dead' });

    clock.advance(RETENTION_MS - 60_000);
    const recent = await t.app.queue.enqueue(t.app.db, { kind: 'test.quick', payload: { n: -2 } });
    await t.app.worker.drain();
    expect(await t.app.queue.get(t.app.db, old!.id)).toMatchObject({ status: 'succeeded' });

    clock.advance(120_000);
    await t.app.worker.drain();
    expect(await t.app.queue.get(t.app.db, old!.id)).toBeUndefined();
    expect(await t.app.queue.get(t.app.db, recent.id)).toMatchObject({ status: 'succeeded' });
    expect(await t.app.queue.get(t.app.db, dueLater.id)).toMatchObject({ status: 'queued' });
    expect(await t.app.queue.get(t.app.db, dead!.id)).toMatchObject({ status: 'dead' });
    // Every other finished job was older: only the recent one is left.
    const succeeded = await rows<{ n: number }>(
      t.app.db,
      sql`select count(*)::int as n from jobs where status = 'succeeded' and kind like 'test.%'`,
    );
    expect(succeeded[0]!.n).toBe(1);
  });
});

describe('the jobs table on the embedded database', () => {
  // PostgreSQL has autovacuum; the embedded database has none, and its claims would step over every dead row version.
  it.runIf(testEngine() === 'pglite')('is vacuumed by the worker after a busy stretch', async () => {
    const vacuums = () =>
      rows<{ n: number }>(
        t.app.db,
        sql`select vacuum_count::int as n from pg_stat_user_tables where relname = 'jobs'`,
      ).then((result) => result[0]!.n);
    await t.app.worker.drain();
    const before = await vacuums();
    await t.app.queue.enqueueMany(t.app.db, quickJobs(3, 5000));
    await t.app.worker.drain();
    expect(await vacuums()).toBe(before);

    clock.advance(5 * 60_000);
    await t.app.worker.drain();
    expect(await vacuums()).toBe(before + 1);
  });
});
