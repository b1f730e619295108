import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { backoffDelayMs } from '../../src/jobs/job-queue.js';
import { startTestApp, type TestApp } from '../support/app.js';

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

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    jobDefinitions: [recordJob, flakyJob],
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 50 },
    workerPollMs: 20,
  });
  t.app.worker.start();
});
afterAll(() => t.close());

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const job = (id: number) => t.app.queue.get(t.app.db, id).then((row) => row!);

describe('the job queue', () => {
  it('runs an enqueued job once, with its payload and progress', async () => {
    const queued = await t.app.queue.enqueue(t.app.db, { kind: 'test.record', payload: { note: 'hello' } });
    const finished = await waitFor(
      () => job(queued.id),
      (row) => row.status === 'succeeded',
    );
    expect(finished.attempts).toBe(1);
    expect(finished.progress).toEqual({ done: 1, total: 1 });
    expect(seen.filter((note) => note === 'hello')).toHaveLength(1);
  });

  it('gives the same job back for the same idempotency key', async () => {
    const first = await t.app.queue.enqueue(t.app.db, {
      kind: 'test.record',
      payload: { note: 'once' },
      idempotencyKey: 'send-42',
    });
    const second = await t.app.queue.enqueue(t.app.db, {
      kind: 'test.record',
      payload: { note: 'once' },
      idempotencyKey: 'send-42',
    });
    expect(second.id).toBe(first.id);
    await waitFor(
      () => job(first.id),
      (row) => row.status === 'succeeded',
    );
    expect(seen.filter((note) => note === 'once')).toHaveLength(1);
  });

  it('waits for the run-at time', async () => {
    const later = await t.app.queue.enqueue(t.app.db, {
      kind: 'test.record',
      payload: { note: 'later' },
      runAt: new Date(Date.now() + 60_000),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await job(later.id)).status).toBe('queued');
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    failuresLeft = 2;
    const queued = await t.app.queue.enqueue(t.app.db, { kind: 'test.flaky', payload: {} });
    const finished = await waitFor(
      () => job(queued.id),
      (row) => row.status === 'succeeded',
    );
    expect(finished.attempts).toBe(3);
  });

  it('moves a job that keeps failing to the dead letters with its last error; an admin retries it', async () => {
    failuresLeft = 3;
    const queued = await t.app.queue.enqueue(t.app.db, { kind: 'test.flaky', payload: {}, maxAttempts: 3 });
    const dead = await waitFor(
      () => job(queued.id),
      (row) => row.status === 'dead',
    );
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toContain('the gateway said no');

    const admin = await t.signedIn(['admin']);
    const listed = await admin.get('/api/jobs?status=dead');
    expect(listed.body.jobs.map((row: { id: number }) => row.id)).toContain(queued.id);
    expect(listed.body.counts.dead).toBeGreaterThanOrEqual(1);

    failuresLeft = 0;
    const retried = await admin.post(`/api/jobs/${queued.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('queued');
    await waitFor(
      () => job(queued.id),
      (row) => row.status === 'succeeded',
    );
    const trail = await admin.get(`/api/audit?entityType=job&entityId=${queued.id}`);
    expect(trail.body.events[0].action).toBe('job.retried');

    const again = await admin.post(`/api/jobs/${queued.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('dead-letters a payload that does not match its schema', async () => {
    const queued = await t.app.queue.enqueue(t.app.db, { kind: 'test.record', payload: { note: 7 }, maxAttempts: 1 });
    const dead = await waitFor(
      () => job(queued.id),
      (row) => row.status === 'dead',
    );
    expect(dead.lastError).toMatch(/note/);
  });

  it('reclaims a job whose worker stopped renewing its lease', async () => {
    const queued = await t.app.queue.enqueue(t.app.db, {
      kind: 'test.record',
      payload: { note: 'orphan' },
      runAt: new Date(Date.now() + 3_600_000),
    });
    // As if a process had claimed it and died: running, with a lease that ran out.
    await t.app.db.execute(
      sql`update jobs set status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = now() - interval '1 second', run_at = now() where id = ${queued.id}`,
    );
    const finished = await waitFor(
      () => job(queued.id),
      (row) => row.status === 'succeeded',
    );
    expect(finished.attempts).toBe(2);
    expect(seen).toContain('orphan');
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
