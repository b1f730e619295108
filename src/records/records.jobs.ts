import { z } from 'zod';
import type { Database } from '../db/database.js';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { DispositionService } from './disposition.service.js';
import type { EdiscoveryService } from './ediscovery.service.js';

export const DAILY_DISPOSITION_JOB = 'records.disposition_list';
export const EDISCOVERY_EXPORT_JOB = 'records.ediscovery_export';

const nextMidnightUtc = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));

/** Tomorrow's disposition listing, once (the day is its idempotency key). */
export async function scheduleDailyDisposition(db: Database, queue: Pick<JobQueue, 'enqueue'>, clock: Clock) {
  const next = nextMidnightUtc(clock.now());
  const day = next.toISOString().slice(0, 10);
  await queue.enqueue(db, {
    kind: DAILY_DISPOSITION_JOB,
    payload: { day },
    runAt: next,
    idempotencyKey: `disposition:${day}`,
  });
}

/** The records jobs: the daily listing of records due for disposition, and e-discovery exports. */
export function recordsJobs(deps: {
  db: Database;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  disposition: Pick<DispositionService, 'listDue'>;
  ediscovery: Pick<EdiscoveryService, 'runExport' | 'exportFailed'>;
}): JobDefinition[] {
  return [
    defineJob({
      kind: DAILY_DISPOSITION_JOB,
      payload: z.object({ day: z.string() }),
      async run() {
        await deps.disposition.listDue(systemActor('daily disposition listing'));
        await scheduleDailyDisposition(deps.db, deps.queue, deps.clock);
      },
    }),
    defineJob({
      kind: EDISCOVERY_EXPORT_JOB,
      payload: z.object({ exportId: z.uuid() }),
      run: ({ exportId }, { signal }) => deps.ediscovery.runExport(exportId, signal),
      onDead: ({ exportId }, lastError, executor) => deps.ediscovery.exportFailed(executor, exportId, lastError),
    }),
  ];
}
