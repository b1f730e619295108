import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineJob } from '../../src/jobs/job-handlers.js';
import { createJobQueue } from '../../src/jobs/job-queue.js';
import { systemClock } from '../../src/shared/clock.js';
import { sharedStorage, startApp } from '../support/app.js';
import { onEachEngine, type Engine } from '../support/engines.js';
import type { Section, SectionContext } from '../support/report.js';
import { statementCounter } from '../support/sql-counter.js';
import { elapsedMs, now, ratio } from '../support/stats.js';

const KIND = 'bench.noop';
const JOBS = { pglite: 5_000, postgres: 20_000 } as const;
/** The worker's concurrency on each engine: what `tidings start` uses there by default. */
const WORKERS = { pglite: 2, postgres: 8 } as const;
/** What issue 14 asks of PostgreSQL: no-op jobs/s through the worker, and its share of the raw loop. */
const GOAL = { jobsPerSecond: 20_000, ratio: 0.8 };
/** The raw baseline: claimers working in parallel, each claiming this many rows at a time. */
const RAW_CLAIMERS = 4;
const RAW_BATCH = 100;
const RUN_TIMEOUT_MS = 60_000;
/**
 * Each run is short (about a second) and the machine is shared: raw and queue runs alternate this
 * many times, so that both see the same load, and the medians count.
 */
const ROUNDS = 3;

const noopJob = defineJob({ kind: KIND, payload: z.object({}), run: async () => {} });

/** Empties the table, then enqueues `count` no-op jobs with the queue's enqueueMany; returns rows/s. */
async function fill(engine: Engine, count: number): Promise<number> {
  await engine.query('TRUNCATE jobs RESTART IDENTITY');
  const queue = createJobQueue({ db: engine.storage.db, clock: systemClock, engine: engine.storage.engine });
  const requests = Array.from({ length: count }, () => ({ kind: KIND, payload: {} }));
  const start = now();
  await queue.enqueueMany(engine.storage.db, requests);
  const rate = count / (elapsedMs(start) / 1000);
  // The planner should see the table as it is, as autovacuum would soon make it: same for every run.
  await engine.query('ANALYZE jobs');
  return rate;
}

/** The bench's own jobs by status: the app's scheduled ones (indexer, KPI rollup) may come due during a run. */
async function statusCounts(engine: Engine) {
  const rows = await engine.query<{ status: string; count: number | string }>(
    'SELECT status, count(*) AS count FROM jobs WHERE kind = $1 GROUP BY status',
    [KIND],
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

async function expectAllSucceeded(engine: Engine, count: number, what: string) {
  const counts = await statusCounts(engine);
  if ((counts.succeeded ?? 0) !== count)
    throw new Error(`${engine.label} ${what}: expected ${count} succeeded jobs, found ${JSON.stringify(counts)}`);
}

// The same claim as the queue's (same filter, order and lease columns), in batches, with plain SQL.
const RAW_CLAIM = `
  UPDATE jobs SET status = 'running', locked_by = $1, locked_until = now() + interval '30 seconds',
                  attempts = attempts + 1, started_at = now()
  WHERE id IN (
    SELECT id FROM jobs
    WHERE kind = ANY($2::text[]) AND run_at <= now() AND attempts < max_attempts
      AND (status = 'queued' OR (status = 'running' AND locked_until < now()))
    ORDER BY run_at, id
    LIMIT ${RAW_BATCH}
    FOR UPDATE SKIP LOCKED)
  RETURNING id`;
const RAW_COMPLETE = `
  UPDATE jobs SET status = 'succeeded', locked_by = NULL, locked_until = NULL, finished_at = now(), last_error = NULL
  WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'running'`;

async function rawRun(engine: Engine, count: number) {
  await fill(engine, count);
  statementCounter.reset();
  statementCounter.enabled = true;
  const start = now();
  await Promise.all(
    Array.from({ length: RAW_CLAIMERS }, async () => {
      const claimer = `raw-${randomUUID().slice(0, 8)}`;
      for (;;) {
        const claimed = await engine.query<{ id: number | string }>(RAW_CLAIM, [claimer, [KIND]]);
        if (claimed.length === 0) return;
        await engine.query(RAW_COMPLETE, [claimed.map((row) => row.id), claimer]);
      }
    }),
  );
  const seconds = elapsedMs(start) / 1000;
  statementCounter.enabled = false;
  await expectAllSucceeded(engine, count, 'raw baseline');
  return {
    jobsPerSecond: count / seconds,
    seconds,
    statements: statementCounter.statements,
    claims: statementCounter.claims,
  };
}

async function queueRun(engine: Engine, count: number, workers: number) {
  const enqueueRate = await fill(engine, count);
  const bench = await startApp({
    storage: sharedStorage(engine.storage),
    workers,
    jobDefinitions: [noopJob],
    workerPollMs: 50,
  });
  let finished: { succeeded: number; failed: number };
  let seconds: number;
  let timedOut = false;
  try {
    // Progress comes from the worker's own metric (incremented after each completion is written),
    // so watching it costs the database nothing.
    const read = async () => {
      const metric = await bench.app.metrics.jobsFinished.get();
      const sum = (outcome: string) =>
        metric.values
          .filter((value) => value.labels.outcome === outcome)
          .reduce((total, value) => total + value.value, 0);
      return { succeeded: sum('succeeded'), failed: sum('failed') };
    };
    statementCounter.reset();
    statementCounter.enabled = true;
    const start = now();
    bench.app.worker.start();
    for (;;) {
      finished = await read();
      if (finished.succeeded + finished.failed >= count) break;
      if (elapsedMs(start) > RUN_TIMEOUT_MS) {
        timedOut = true;
        break;
      }
      await sleep(5);
    }
    seconds = elapsedMs(start) / 1000;
    statementCounter.enabled = false;
  } finally {
    statementCounter.enabled = false;
    await bench.close();
  }
  if (finished.failed > 0) throw new Error(`${engine.label} queue run: ${finished.failed} no-op jobs failed`);
  if (!timedOut) await expectAllSucceeded(engine, count, `queue run with ${workers} workers`);
  return {
    jobsPerSecond: finished.succeeded / seconds,
    seconds,
    succeeded: finished.succeeded,
    timedOut,
    enqueueRate,
    statements: statementCounter.statements,
    claims: statementCounter.claims,
  };
}

/** The median run by rate, and the range over all runs. */
function median<T extends { jobsPerSecond: number }>(runs: T[]) {
  const sorted = [...runs].sort((a, b) => a.jobsPerSecond - b.jobsPerSecond);
  const range = `${Math.round(sorted[0]!.jobsPerSecond).toLocaleString('en-US')}–${Math.round(sorted[sorted.length - 1]!.jobsPerSecond).toLocaleString('en-US')}`;
  return { ...sorted[Math.floor(sorted.length / 2)]!, range };
}

async function benchEngine(context: SectionContext, engine: Engine) {
  const count = JOBS[engine.key];
  const workers = WORKERS[engine.key];
  const raws: Awaited<ReturnType<typeof rawRun>>[] = [];
  const queued: Awaited<ReturnType<typeof queueRun>>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    context.log(
      `jobs: ${engine.label}: round ${round} of ${ROUNDS}: raw loop, then queue with workers=${workers}, ${count} jobs each`,
    );
    raws.push(await rawRun(engine, count));
    queued.push(await queueRun(engine, count, workers));
  }
  const raw = median(raws);
  const run = median(queued);
  context.record({
    name: `${engine.label}: raw SQL claim/complete (baseline)`,
    value: raw.jobsPerSecond,
    unit: 'jobs/s',
    details: {
      jobs: count,
      claimers: RAW_CLAIMERS,
      batch: RAW_BATCH,
      'stmts/job': (raw.statements / count).toFixed(3),
      time: `${raw.seconds.toFixed(2)} s`,
      [`range of ${ROUNDS}`]: raw.range,
    },
  });
  const share = ratio(run.jobsPerSecond, raw.jobsPerSecond);
  context.record({
    name: `${engine.label}: queue + worker, workers=${workers}`,
    value: run.jobsPerSecond,
    unit: 'jobs/s',
    baseline: { name: 'raw', value: raw.jobsPerSecond, unit: 'jobs/s' },
    ratio: share,
    details: {
      jobs: run.timedOut ? `${run.succeeded}/${count} (timed out)` : count,
      'stmts/job': (run.statements / run.succeeded).toFixed(3),
      'jobs/claim': (run.succeeded / Math.max(1, run.claims)).toFixed(0),
      time: `${run.seconds.toFixed(2)} s`,
      [`range of ${ROUNDS}`]: run.range,
      enqueueMany: `${Math.round(run.enqueueRate).toLocaleString('en-US')} rows/s`,
    },
  });
  if (queued.some((one) => one.timedOut))
    context.note(
      `jobs: ${engine.label} workers=${workers} stopped after ${RUN_TIMEOUT_MS / 1000} s in a round; its rate is over the jobs finished by then.`,
    );
  if (engine.key === 'postgres') {
    const met = run.jobsPerSecond >= GOAL.jobsPerSecond && (share ?? 0) >= GOAL.ratio;
    context.note(
      `jobs: goal (issue 14) on PostgreSQL with ${workers} workers: ≥${GOAL.jobsPerSecond.toLocaleString('en-US')} jobs/s and ≥${GOAL.ratio * 100} % of the raw loop; ` +
        `measured ${Math.round(run.jobsPerSecond).toLocaleString('en-US')} jobs/s against raw ${Math.round(raw.jobsPerSecond).toLocaleString('en-US')} jobs/s, ` +
        `${((share ?? 0) * 100).toFixed(0)} %: ${met ? 'met' : 'not met'}.`,
    );
  }
}

export const jobsSection: Section = {
  name: 'jobs',
  title: 'Durable job queue: no-op jobs/s through createWorker against a raw batched claim/complete',
  async run(context) {
    await onEachEngine(context, 'jobs', { rawConnections: RAW_CLAIMERS }, (engine) => benchEngine(context, engine));
    context.note(
      `jobs: ${JOBS.pglite.toLocaleString('en-US')} jobs on PGlite, ${JOBS.postgres.toLocaleString('en-US')} on PostgreSQL, enqueued with queue.enqueueMany then ANALYZE; ` +
        `queue = buildApp + app.worker (pollMs 50, PostgreSQL pool of 10), timed from worker.start() until every job succeeded; ` +
        `raw = ${RAW_CLAIMERS} loops of "claim ${RAW_BATCH} with FOR UPDATE SKIP LOCKED, then one UPDATE … WHERE id = ANY($1)" with the queue's own filter; ` +
        `raw and queue runs alternate ${ROUNDS} times and the medians count; ratio = queue/raw.`,
    );
  },
};
