import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rows } from '../../src/db/database.js';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

const RETRY_POLICY = { baseDelayMs: 1_000, maxDelayMs: 10_000 };
const LEASE_MS = 2_000;
const clock = testClock();
let t: TestApp;

/** The batches runMany was called with, as job ids. */
const batches: number[][] = [];
/** Notes that fail their first attempt, and notes that fail every attempt. */
const failOnce = new Set<string>();
const failAlways = new Set<string>();

const batchJob = defineJob({
  kind: 'test.batch',
  payload: z.object({ note: z.string() }),
  batchSize: 3,
  async runMany(jobs) {
    batches.push(jobs.map(({ job }) => job.id));
    if (jobs.some(({ payload }) => payload.note === 'poison')) throw new Error('the whole batch broke');
    const failures = new Map<number, unknown>();
    for (const { job, payload } of jobs) {
      if (failAlways.has(payload.note)) failures.set(job.id, new Error(`${payload.note} was refused`));
      else if (failOnce.delete(payload.note)) failures.set(job.id, new Error(`${payload.note} failed once`));
    }
    return failures;
  },
  async onDead({ note }, lastError, executor) {
    await executor.execute(sql`insert into dead_marks (note, error) values (${note}, ${lastError})`);
  },
});

let hookFailuresLeft = 0;
const doomedJob = defineJob({
  kind: 'test.doomed',
  payload: z.object({ note: z.string() }),
  async run({ note }) {
    throw new Error(`${note}: the gateway said no`);
  },
  async onDead({ note }, lastError, executor) {
    await executor.execute(sql`insert into dead_marks (note, error) values (${note}, ${lastError})`);
    if (hookFailuresLeft-- > 0) throw new Error('the hook failed after writing');
  },
});

beforeAll(async () => {
  t = await startTestApp({
    clock,
    jobDefinitions: [batchJob, doomedJob],
    retryPolicy: RETRY_POLICY,
    config: { jobLeaseMs: LEASE_MS },
  });
  await t.app.db.execute(sql`create table dead_marks (note text not null, error text not null)`);
});
afterAll(() => t.close());

const job = (id: number) => t.app.queue.get(t.app.db, id).then((row) => row!);
const deadMarks = (note: string) =>
  rows<{ error: string }>(t.app.db, sql`select error from dead_marks where note = ${note}`);
const jobIdsOf = (notes: string[]) =>
  rows<{ id: number; note: string }>(
    t.app.db,
    sql`select id::int as id, payload->>'note' as note from jobs
        where payload->>'note' = any(${`{${notes.map((note) => `"${note}"`).join(',')}}`}::text[]) order by id`,
  );
const enqueueNotes = (kind: string, notes: string[], extra: { maxAttempts?: number } = {}) =>
  t.app.queue.enqueueMany(
    t.app.db,
    notes.map((note) => ({ kind, payload: { note }, ...extra })),
  );
/** Runs what is due, then moves the clock past the longest backoff so that every retry is due. */
async function drainThenWaitOutBackoff() {
  await t.app.worker.drain();
  clock.advance(RETRY_POLICY.maxDelayMs * 1.2);
}

describe('jobs run in batches', () => {
  it('hands claimed jobs of one kind to runMany in batches of at most its batch size', async () => {
    const notes = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    expect(await enqueueNotes('test.batch', notes)).toBe(7);
    batches.length = 0;
    await t.app.worker.drain();

    const ids = (await jobIdsOf(notes)).map((row) => row.id);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(ids);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(3);
    // Seven jobs claimed together go in three calls, not seven.
    expect(batches.length).toBeLessThan(7);
    for (const id of ids) expect(await job(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('retries only the jobs of a batch that failed, after their backoff', async () => {
    failOnce.add('f2');
    const notes = ['f1', 'f2', 'f3'];
    await enqueueNotes('test.batch', notes);
    await t.app.worker.drain();
    const [first, failed, third] = await jobIdsOf(notes);
    expect(await job(first!.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await job(third!.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await job(failed!.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringContaining('f2 failed once'),
    });

    batches.length = 0;
    clock.advance(RETRY_POLICY.maxDelayMs * 1.2);
    await t.app.worker.drain();
    expect(batches).toEqual([[failed!.id]]);
    expect(await job(failed!.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('fails every job of a batch whose runMany throws', async () => {
    const notes = ['poison', 'innocent'];
    await enqueueNotes('test.batch', notes, { maxAttempts: 1 });
    batches.length = 0;
    await t.app.worker.drain();
    const ids = await jobIdsOf(notes);
    expect(batches).toEqual([ids.map((row) => row.id)]);
    for (const { id } of ids)
      expect(await job(id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('whole batch broke') });
    expect(await deadMarks('innocent')).toEqual([{ error: 'the whole batch broke' }]);
  });
});

describe('dead letters', () => {
  it("records a batch job's consequence when its last attempt fails", async () => {
    failAlways.add('hopeless');
    await enqueueNotes('test.batch', ['hopeless'], { maxAttempts: 2 });
    await drainThenWaitOutBackoff();
    const [{ id }] = (await jobIdsOf(['hopeless'])) as [{ id: number; note: string }];
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await deadMarks('hopeless')).toEqual([]);

    await t.app.worker.drain();
    expect(await job(id)).toMatchObject({ status: 'dead', attempts: 2 });
    expect(await deadMarks('hopeless')).toEqual([{ error: 'hopeless was refused' }]);
  });

  it('marks the job dead and records its consequence in one transaction', async () => {
    // The hook writes its mark and then fails once: that mark must vanish with the burial it belonged to.
    hookFailuresLeft = 1;
    await enqueueNotes('test.doomed', ['doomed'], { maxAttempts: 1 });
    await t.app.worker.drain();
    const [{ id }] = (await jobIdsOf(['doomed'])) as [{ id: number; note: string }];
    expect(await job(id)).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringContaining('said no') });
    expect(await deadMarks('doomed')).toEqual([{ error: 'doomed: the gateway said no' }]);
  });

  it('records the consequence of a last attempt whose worker died, when its lease has run out', async () => {
    await enqueueNotes('test.doomed', ['abandoned'], { maxAttempts: 1 });
    const [claimed] = await t.app.queue.claim('dead-process', ['test.doomed'], 1, LEASE_MS);
    expect(claimed).toMatchObject({ attempts: 1, lockedUntil: expect.any(Date) });

    await t.app.worker.drain();
    expect(await job(claimed!.id)).toMatchObject({ status: 'running', lockedBy: 'dead-process' });
    expect(await deadMarks('abandoned')).toEqual([]);

    clock.advance(LEASE_MS + 1);
    await t.app.worker.drain();
    expect(await job(claimed!.id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(await deadMarks('abandoned')).toEqual([
      { error: 'The worker running the last attempt stopped before finishing (lease expired).' },
    ]);
  });
});

describe('enqueueMany', () => {
  it('inserts many jobs at once, once per idempotency key, with their run-at and attempts', async () => {
    const later = new Date(clock.now().getTime() + 60_000);
    expect(
      await t.app.queue.enqueueMany(t.app.db, [
        { kind: 'test.batch', payload: { note: 'k1' }, idempotencyKey: 'many-1' },
        { kind: 'test.batch', payload: { note: 'k2' }, idempotencyKey: 'many-2', runAt: later, maxAttempts: 2 },
        { kind: 'test.batch', payload: { note: 'k3' } },
      ]),
    ).toBe(3);
    expect(
      await t.app.queue.enqueueMany(t.app.db, [
        { kind: 'test.batch', payload: { note: 'k1 again' }, idempotencyKey: 'many-1' },
        { kind: 'test.batch', payload: { note: 'k4' }, idempotencyKey: 'many-4' },
        { kind: 'test.batch', payload: { note: 'k4 twice' }, idempotencyKey: 'many-4' },
      ]),
    ).toBe(1);

    const stored = await rows<{ key: string | null; note: string; run_at: Date; max_attempts: number }>(
      t.app.db,
      sql`select idempotency_key as key, payload->>'note' as note, run_at, max_attempts from jobs
          where payload->>'note' like 'k%' order by id`,
    );
    expect(stored.map((row) => [row.key, row.note])).toEqual([
      ['many-1', 'k1'],
      ['many-2', 'k2'],
      [null, 'k3'],
      ['many-4', 'k4'],
    ]);
    expect(new Date(stored[1]!.run_at)).toEqual(later);
    expect(stored.map((row) => row.max_attempts)).toEqual([5, 2, 5, 5]);

    await t.app.worker.drain();
    const ran = await jobIdsOf(['k1', 'k2', 'k3', 'k4']);
    const statuses = await Promise.all(ran.map(async ({ id, note }) => [note, (await job(id)).status]));
    expect(Object.fromEntries(statuses)).toEqual({ k1: 'succeeded', k2: 'queued', k3: 'succeeded', k4: 'succeeded' });
  });

  it("inserts in the caller's transaction: nothing is left when it rolls back", async () => {
    await expect(
      t.app.db.transaction(async (tx) => {
        expect(await t.app.queue.enqueueMany(tx, [{ kind: 'test.batch', payload: { note: 'rolled back' } }])).toBe(1);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await jobIdsOf(['rolled back'])).toEqual([]);
  });
});
