import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Database } from '../db/database.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { EXPAND_RUN_JOB, type BatchRunsService } from './batch-runs.service.js';
import { DELIVER_BATCH, DELIVER_JOB } from './delivery-batch.js';
import type { DeliveryPipeline } from './delivery.pipeline.js';
import { DAILY_PRINT_JOB, type PrintBatchesService } from './print-batches.service.js';

const nextMidnightUtc = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));

/** The delivery pipeline's jobs: communications in batches, one batch run's expansion, the daily print batch. */
export function communicationJobs(deps: {
  db: Database;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  pipeline: DeliveryPipeline;
  runs: BatchRunsService;
  printBatches: PrintBatchesService;
}): JobDefinition[] {
  return [
    defineJob({
      kind: DELIVER_JOB,
      payload: z.object({ communicationId: z.uuid() }),
      batchSize: DELIVER_BATCH,
      async runMany(jobs, { signal }) {
        const retry = await deps.pipeline.deliverMany(
          jobs.map(({ payload }) => payload.communicationId),
          signal,
        );
        return new Map(
          jobs.flatMap(({ job, payload }) =>
            retry.has(payload.communicationId) ? [[job.id, retry.get(payload.communicationId)]] : [],
          ),
        );
      },
      // Out of attempts: the item fails with the last error, so it does not wait forever and its run can complete.
      onDead: ({ communicationId }, lastError, executor) => deps.pipeline.giveUp(executor, communicationId, lastError),
      // An admin retried the dead job: the item it failed goes back to the queue, or the retry would find it final.
      onRetry: ({ communicationId }, executor) => deps.pipeline.redeliver(executor, communicationId),
    }),
    defineJob({
      kind: EXPAND_RUN_JOB,
      payload: z.object({ runId: z.uuid() }),
      run: ({ runId }, { reportProgress }) => deps.runs.expand(runId, reportProgress),
    }),
    defineJob({
      kind: DAILY_PRINT_JOB,
      payload: z.object({ day: z.string() }),
      async run() {
        await deps.printBatches.create(systemActor('daily print batch'));
        const next = nextMidnightUtc(deps.clock.now());
        await deps.queue.enqueue(deps.db, {
          kind: DAILY_PRINT_JOB,
          payload: { day: next.toISOString().slice(0, 10) },
          runAt: next,
          idempotencyKey: `print:${next.toISOString().slice(0, 10)}`,
        });
      },
    }),
  ];
}

/** Makes sure the next daily print batch is scheduled; safe to call at every start. */
export async function scheduleDailyPrint(db: Database, queue: Pick<JobQueue, 'enqueue'>, clock: Clock) {
  const next = nextMidnightUtc(clock.now());
  await queue.enqueue(db, {
    kind: DAILY_PRINT_JOB,
    payload: { day: next.toISOString().slice(0, 10) },
    runAt: next,
    idempotencyKey: `print:${next.toISOString().slice(0, 10)}`,
  });
}
