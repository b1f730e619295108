import { z } from 'zod';
import type { Database } from '../db/database.js';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import type { EnqueueRequest, JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../shared/clock.js';
import type { KpiRollup } from './kpis/kpi-rollup.js';

export const KPI_ROLLUP_JOB = 'insights.kpi_rollup';
/** How stale a closed day on the board may be after a late event: the rollup is refreshed this often. */
export const KPI_ROLLUP_EVERY_MS = 15 * 60_000;

/** The refresh at the next quarter hour (one per quarter hour, by its idempotency key). */
function nextRefresh(clock: Clock): EnqueueRequest {
  const next = new Date((Math.floor(clock.now().getTime() / KPI_ROLLUP_EVERY_MS) + 1) * KPI_ROLLUP_EVERY_MS);
  return {
    kind: KPI_ROLLUP_JOB,
    payload: { slot: next.toISOString() },
    runAt: next,
    idempotencyKey: `kpi-rollup:${next.toISOString()}`,
  };
}

/**
 * At start: the refreshes go on, unless one is already waiting or running (another process's, or
 * one this installation scheduled before a restart: a start after the quarter hour it waits for
 * would otherwise add the next one beside it).
 */
export async function ensureKpiRollupScheduled(db: Database, queue: Pick<JobQueue, 'ensureScheduled'>, clock: Clock) {
  await queue.ensureScheduled(db, nextRefresh(clock));
}

/** Enqueues the next refresh. */
export async function scheduleKpiRollup(db: Database, queue: Pick<JobQueue, 'enqueue'>, clock: Clock) {
  await queue.enqueue(db, nextRefresh(clock));
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
