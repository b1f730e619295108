import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { jobs } from '../../src/jobs/jobs.tables.js';
import { openTestStorage, type TestStorage } from '../support/storage.js';
import { waitFor } from '../support/wait-for.js';

const workerScript = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
let storage: TestStorage;
const children = new Set<ChildProcess>();

function startWorker(name: string, leaseMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: { ...process.env, DATABASE_URL: storage.url, WORKER_NAME: name, LEASE_MS: String(leaseMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker ${name} exited with ${code} before it was ready`)));
  });
}

const stopWorker = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: string }>(storage.db, query))[0]!.n);

beforeAll(async () => {
  storage = await openTestStorage();
  await storage.db.execute(
    sql`create table job_marks (job_id bigint not null, worker text not null, attempt int not null)`,
  );
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await storage.close();
});

describe('jobs across processes on one PostgreSQL', () => {
  it('two worker processes run 1,000 jobs exactly once each', async () => {
    // Both workers are up before the jobs arrive: one ready seconds before the other, on a loaded
    // machine, would claim ahead and finish all 1,000 alone.
    const workers = await Promise.all([startWorker('alpha', 30_000), startWorker('beta', 30_000)]);
    await storage.db.insert(jobs).values(Array.from({ length: 1000 }, () => ({ kind: 'test.mark', payload: {} })));
    await waitFor(
      () => count(sql`select count(*) as n from jobs where status = 'succeeded'`),
      (succeeded) => succeeded === 1000,
      { timeoutMs: 60_000 },
    );
    await Promise.all(workers.map(stopWorker));

    expect(await count(sql`select count(*) as n from job_marks`)).toBe(1000);
    expect(await count(sql`select count(distinct job_id) as n from job_marks`)).toBe(1000);
    expect(await count(sql`select count(*) as n from jobs where attempts <> 1`)).toBe(0);
    // Both processes took part: the work was shared, not run by one while the other idled.
    expect(await count(sql`select count(distinct worker) as n from job_marks`)).toBe(2);
  });

  it('a job whose process is killed mid-run is retried after a restart', async () => {
    await storage.db.execute(sql`truncate jobs, job_marks`);
    const [job] = await storage.db
      .insert(jobs)
      .values({ kind: 'test.mark', payload: { hangOnFirstAttempt: true } })
      .returning();
    const first = await startWorker('doomed', 1_000);
    await waitFor(
      () => count(sql`select count(*) as n from jobs where status = 'running' and id = ${job!.id}`),
      (running) => running === 1,
      { timeoutMs: 60_000 },
    );
    first.kill('SIGKILL');

    const restarted = await startWorker('restarted', 1_000);
    await waitFor(
      () => count(sql`select count(*) as n from jobs where status = 'succeeded' and id = ${job!.id}`),
      (succeeded) => succeeded === 1,
      { timeoutMs: 60_000 },
    );
    await stopWorker(restarted);

    const marks = await rows(storage.db, sql`select worker, attempt from job_marks`);
    expect(marks).toEqual([{ worker: 'restarted', attempt: 2 }]);
  });
});
