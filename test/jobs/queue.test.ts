import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { backoffDelayMs } from '../../src/jobs/job-queue.js';
import { createWorker } from '../../src/jobs/worker.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { waitFor } from '../support/wait-for.js';

const seen: string[] = [];
let failuresLeft = 0;

const recordJob = defineJob({
  kind: 'test.record',
  payload: z.object({ note: z.string() }),
  async run({ note }, { reportProgress }) {
    await reportProgress({ done: 1, total: 1 });
    seen.push(note);
  },
});

const flakyJob = defineJob({
  kind: 'test.flaky',
  payload: z.object({}),
  async run() {
    if (failuresLeft-- > 0) throw new Error('the gateway said no');
  },
});

const RETRY_POLICY = { baseDelayMs: 1_000, maxDelayMs: 10_000 };
const LEASE_MS = 2_000;
// The queue's time: a job is due, a retry comes due and a lease runs out only when a test moves it.
const clock = testClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    clock,
    jobDefinitions: [recordJob, flakyJob],
    retryPolicy: RETRY_POLICY,
    config: { jobLeaseMs: LEASE_MS },
  });
});
afterAll(() => t.close());

const job = (id: number) => t.app.queue.get(t.app.db, id).then((row) => row!);
const enqueue = (request: Parameters<TestApp['app']['queue']['enqueue']>[1]) => t.app.queue.enqueue(t.app.db, request);
/** Runs what is due now; then moves the clock past the longest backoff, so the next retry is due. */
async function drainThenWaitOutBackoff() {
  await t.app.worker.drain();
  clock.advance(RETRY_POLICY.maxDelayMs * 1.2);
}

describe('the job queue', () => {
  it('runs an enqueued job once, with its payload and progress', async () => {
    const queued = await enqueue({ kind: 'test.record', payload: { note: 'hello' } });
    await t.app.worker.drain();
    expect(await job(queued.id)).toMatchObject({ status: 'succeeded', attempts: 1, progress: { done: 1, total: 1 } });
    expect(seen.filter((note) => note === 'hello')).toHaveLength(1);
  });

  it('a started worker runs what is enqueued without being asked', async () => {
    t.app.worker.start();
    try {
      const queued = await enqueue({ kind: 'test.record', payload: { note: 'woken' } });
      await waitFor(
        () => job(queued.id),
        (row) => row.status === 'succeeded',
      );
    } finally {
      await t.app.worker.stop();
    }
    expect(seen.filter((note) => note === 'woken')).toHaveLength(1);
  });

  it('gives the same job back for the same idempotency key', async () => {
    const first = await enqueue({ kind: 'test.record', payload: { note: 'once' }, idempotencyKey: 'send-42' });
    const second = await enqueue({ kind: 'test.record', payload: { note: 'once' }, idempotencyKey: 'send-42' });
    expect(second.id).toBe(first.id);
    await t.app.worker.drain();
    expect((await job(first.id)).status).toBe('succeeded');
    expect(seen.filter((note) => note === 'once')).toHaveLength(1);
  });

  it('waits for the run-at time, then runs', async () => {
    const later = await enqueue({
      kind: 'test.record',
      payload: { note: 'later' },
      runAt: new Date(clock.now().getTime() + 60_000),
    });
    await t.app.worker.drain();
    expect(await job(later.id)).toMatchObject({ status: 'queued', attempts: 0 });
    clock.advance(59_999);
    await t.app.worker.drain();
    expect((await job(later.id)).status).toBe('queued');
    clock.advance(1);
    await t.app.worker.drain();
    expect(await job(later.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(seen.filter((note) => note === 'later')).toHaveLength(1);
  });

  it('drains what a job enqueued as it finished, even when a claim made meanwhile found nothing', async () => {
    // A batch run's expansion enqueues its deliveries and ends while the worker's next claim is on its
    // way: that claim looked before they were there. The drain must look again before it says "done".
    let parentStarted = false;
    let emptyClaimHeld = false;
    let claimedNothing = () => {};
    const emptyClaim = new Promise<void>((resolve) => (claimedNothing = resolve));
    let parentReturned = () => {};
    const parentDone = new Promise<void>((resolve) => (parentReturned = resolve));
    const parentJob = defineJob({
      kind: 'test.parent',
      payload: z.object({}),
      async run() {
        parentStarted = true;
        await emptyClaim;
        await enqueue({ kind: 'test.record', payload: { note: 'enqueued by the parent' } });
        parentReturned();
      },
    });
    const { queue } = t.app;
    const worker = createWorker({
      queue: {
        ...queue,
        async claim(...args) {
          const claimed = await queue.claim(...args);
          // The first empty claim made while the parent runs comes back only after the parent has ended.
          if (claimed.length > 0 || !parentStarted || emptyClaimHeld) return claimed;
          emptyClaimHeld = true;
          claimedNothing();
          await parentDone;
          // The parent's slot is given up on the turn after its handler returns.
          await new Promise((resolve) => setImmediate(resolve));
          return claimed;
        },
      },
      definitions: [parentJob, recordJob],
      concurrency: 2,
      leaseMs: LEASE_MS,
      logger: pino({ level: 'silent' }),
    });
    const parent = await enqueue({ kind: 'test.parent', payload: {} });
    await worker.drain();
    expect(await job(parent.id)).toMatchObject({ status: 'succeeded' });
    expect(seen.filter((note) => note === 'enqueued by the parent')).toHaveLength(1);
  });

  it('retries a failing job after its backoff until it succeeds', async () => {
    failuresLeft = 2;
    const queued = await enqueue({ kind: 'test.flaky', payload: {} });
    await t.app.worker.drain();
    const waiting = await job(queued.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('said no') });
    // The next attempt is due one backoff step (1 s ± 20%) after the failure, not before.
    const delay = waiting.runAt.getTime() - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(800);
    expect(delay).toBeLessThanOrEqual(1_200);
    clock.advance(delay - 1);
    await t.app.worker.drain();
    expect((await job(queued.id)).attempts).toBe(1);
    clock.advance(1);
    await drainThenWaitOutBackoff();
    expect(await job(queued.id)).toMatchObject({ status: 'queued', attempts: 2 });
    await t.app.worker.drain();
    expect(await job(queued.id)).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('moves a job that keeps failing to the dead letters with its last error; an admin retries it', async () => {
    failuresLeft = 3;
    const queued = await enqueue({ kind: 'test.flaky', payload: {}, maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) await drainThenWaitOutBackoff();
    const dead = await job(queued.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.lastError).toContain('the gateway said no');

    const admin = await t.signedIn(['admin']);
    const listed = await admin.get(`/api/jobs?status=dead&kind=test.flaky`);
    expect(listed.body.jobs.map((row: { id: number }) => row.id)).toEqual([queued.id]);
    expect(listed.body.counts.dead).toBe(1);

    failuresLeft = 0;
    const retried = await admin.post(`/api/jobs/${queued.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'queued', attempts: 0 });
    await t.app.worker.drain();
    expect(await job(queued.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const trail = await admin.get(`/api/audit?entityType=job&entityId=${queued.id}`);
    expect(trail.body.events[0].action).toBe('job.retried');

    const again = await admin.post(`/api/jobs/${queued.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('dead-letters a payload that does not match its schema', async () => {
    const queued = await enqueue({ kind: 'test.record', payload: { note: 7 }, maxAttempts: 1 });
    await t.app.worker.drain();
    const dead = await job(queued.id);
    expect(dead.status).toBe('dead');
    expect(dead.lastError).toMatch(/note/);
  });

  it('reclaims a job whose worker stopped renewing its lease, once the lease has run out', async () => {
    const queued = await enqueue({ kind: 'test.record', payload: { note: 'orphan' } });
    // Claimed by a process that then died: it never renews the lease nor finishes the job.
    const [claimed] = await t.app.queue.claim('dead-process', ['test.record'], 1, LEASE_MS);
    expect(claimed).toMatchObject({ id: queued.id, attempts: 1, lockedUntil: expect.any(Date) });
    await t.app.worker.drain();
    expect(await job(queued.id)).toMatchObject({ status: 'running', lockedBy: 'dead-process' });
    clock.advance(LEASE_MS + 1);
    await t.app.worker.drain();
    expect(await job(queued.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(seen.filter((note) => note === 'orphan')).toHaveLength(1);
  });

  it('is visible to admins only', async () => {
    expect((await (await t.signedIn(['manager'])).get('/api/jobs')).status).toBe(403);
  });
});

describe('backoff', () => {
  it('doubles per attempt within ±20% and is capped', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(3200);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(4800);
    expect(backoffDelayMs(20, policy, () => 0.5)).toBe(10_000);
  });
});
