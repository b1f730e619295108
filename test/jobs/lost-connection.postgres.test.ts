import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rows } from '../../src/db/database.js';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { jobs } from '../../src/jobs/jobs.tables.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait-for.js';

const workerScript = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
let t: TestApp;
const children = new Set<ChildProcess>();
let slowRuns = 0;

/** Its first run holds a statement open long enough for the test to cut the connection under it. */
const slowStatementJob = defineJob({
  kind: 'test.slow-statement',
  payload: z.object({}),
  async run() {
    if (++slowRuns === 1) await t.app.db.execute(sql`select pg_sleep(60)`);
  },
});

/** What a failover or a pooler's cleanup does to this test's database, and to nothing else on the server. */
const terminate = (condition = sql`true`) =>
  rows<{ n: number }>(
    t.app.db,
    sql`select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and ${condition}) t`,
  ).then((result) => result[0]!.n);

const job = (id: number) => t.app.queue.get(t.app.db, id).then((row) => row!);

beforeAll(async () => {
  t = await startTestApp({
    jobDefinitions: [slowStatementJob],
    retryPolicy: { baseDelayMs: 10, maxDelayMs: 50 },
    workerPollMs: 20,
  });
  await t.app.db.execute(
    sql`create table job_marks (job_id bigint not null, worker text not null, attempt int not null)`,
  );
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t.close();
});

describe('jobs when the database connection is lost', () => {
  it('runs a job again whose statement lost its connection, without using up one of its attempts', async () => {
    t.app.worker.start();
    const queued = await t.app.queue.enqueue(t.app.db, { kind: 'test.slow-statement', payload: {}, maxAttempts: 1 });
    await waitFor(
      () => terminate(sql`query like '%pg_sleep(60)%' and state = 'active'`),
      (terminated) => terminated === 1,
    );

    const finished = await waitFor(
      () => job(queued.id),
      (row) => row.status !== 'running' && row.status !== 'queued',
    );
    await t.app.worker.stop();
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(slowRuns).toBe(2);
  });

  it('wakes a worker in another process at once when a job is enqueued, and again after its connections were cut', async () => {
    // It polls once at start and then only every ten minutes: only a notification can wake it sooner.
    const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
      env: { ...process.env, DATABASE_URL: t.storage.url, WORKER_NAME: 'listener', POLL_MS: '600000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    // Its LISTEN connection opens beside the worker: a job inserted before it listens would wait for the next poll.
    const listening = () =>
      rows<{ n: number }>(
        t.app.db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
      ).then((result) => result[0]!.n);
    await waitFor(listening, (n) => n === 1);
    const marked = (id: number) =>
      rows<{ n: number }>(t.app.db, sql`select count(*)::int as n from job_marks where job_id = ${id}`).then(
        (result) => result[0]!.n,
      );

    const [first] = await t.app.db.insert(jobs).values({ kind: 'test.mark', payload: {} }).returning();
    await waitFor(
      () => marked(first!.id),
      (n) => n === 1,
    );

    expect(await terminate()).toBeGreaterThan(0);
    await waitFor(listening, (n) => n === 1);
    const [second] = await t.app.db.insert(jobs).values({ kind: 'test.mark', payload: {} }).returning();
    await waitFor(
      () => marked(second!.id),
      (n) => n === 1,
    );
    expect(child.exitCode).toBeNull();
  });
});
