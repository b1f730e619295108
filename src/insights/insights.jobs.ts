import { z } from 'zod';
import type { Database } from '../db/database.js';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../shared/clock.js';
import type { KpiRollup } from './kpis/kpi-rollup.js';

export const KPI_ROLLUP_JOB = 'insights.kpi_rollup';
/** How stale a closed day on the board may be after a late event: the rollup is refreshed this often. */
export const KPI_ROLLUP_EVERY_MS = 15 * 60_000;

/**
 * At start: the refreshes go on, unless one is already waiting or running (another process's, or
 * one this installation scheduled before a restart: a start after the quarter hour it waits for
 * would otherwise add the next one beside it).
 */
export async function ensureKpiRollupScheduled(db: Database, queue: Pick<JobQueue, 'enqueue' | 'list'>, clock: Clock) {
  for (const status of ['queued', 'running'] as const)
    if ((await queue.list({ kind: KPI_ROLLUP_JOB, status, limit: 1 })).jobs.length > 0) return;
  await scheduleKpiRollup(db, queue, clock);
}

/** Enqueues the refresh at the next quarter hour (one per quarter hour, by its idempotency key). */
export async function scheduleKpiRollup(db: Database, queue: Pick<JobQueue, 'enqueue'>, clock: Clock) {
  const next = new Date((Math.floor(clock.now().getTime() / KPI_ROLLUP_EVERY_MS) + 1) * KPI_ROLLUP_EVERY_MS);
  await queue.enqueue(db, {
    kind: KPI_ROLLUP_JOB,
    payload: { slot: next.toISOString() },
    runAt: next,
    idempotencyKey: `kpi-rollup:${next.toISOString()}`,
  });
}

/** The KPI rollup's refresh, which schedules the next one. */
export function insightsJobs(deps: {
  db: Database;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  rollup: Pick<KpiRollup, 'refresh'>;
}): JobDefinition[] {
  return [
    defineJob({
      kind: KPI_ROLLUP_JOB,
      payload: z.object({ slot: z.string() }),
      // The next one first: a refresh that keeps failing must not end the schedule.
      async run() {
        await scheduleKpiRollup(deps.db, deps.queue, deps.clock);
        await deps.rollup.refresh();
      },
    }),
  ];
}
