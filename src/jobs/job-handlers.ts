import type { z } from 'zod';
import type { Executor } from '../db/database.js';
import type { ClaimedJob } from './job-queue.js';

export type JobContext = {
  job: ClaimedJob;
  /** Aborted when the worker shuts down or loses the job's lease; long handlers should stop then. */
  signal: AbortSignal;
  reportProgress(progress: Record<string, unknown>): Promise<void>;
};

export type BatchJob<P> = { job: ClaimedJob; payload: P };

export type BatchContext = {
  /** Aborted when the worker stops or loses a lease of this batch. */
  signal: AbortSignal;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  kind: string;
  payload: S;
  /** One job at a time (exactly one of run / runMany is given). */
  run?(payload: z.infer<S>, context: JobContext): Promise<void>;
  /**
   * Several claimed jobs of this kind at once (at most `batchSize`). Returns the jobs that failed,
   * each with its error (retried with backoff as usual, dead after maxAttempts); every other job of
   * the batch succeeded. Throwing fails the whole batch. A job whose payload does not match the
   * schema is failed by the worker and never reaches the batch.
   */
  runMany?(jobs: BatchJob<z.infer<S>>[], context: BatchContext): Promise<Map<number, unknown>>;
  /** The most jobs one runMany call gets; 100 unless given. */
  batchSize?: number;
  /**
   * Called when a job of this kind goes to the dead letters (last attempt failed, or its last
   * attempt's lease ran out: buryAbandoned), inside the same transaction that marks it dead, so a
   * crash can never leave a dead job whose consequence was not recorded. `lastError` is the
   * failure's message (the job row keeps the whole stack). Not called for a payload that does not
   * match the schema: there is nothing typed to hand over. Throwing rolls the burial back: the job
   * stays where it was and the burial is tried again.
   */
  onDead?(payload: z.infer<S>, lastError: string, executor: Executor): Promise<void>;
  /**
   * Called when an admin puts a dead job of this kind back in the queue, inside the transaction that
   * requeues it: undoes what onDead recorded, so that the job's next run does the work again.
   * Throwing refuses the retry. Not called for a payload that does not match the schema.
   */
  onRetry?(payload: z.infer<S>, executor: Executor): Promise<void>;
};

export const DEFAULT_BATCH_SIZE = 100;

/** Declares a job kind with the schema its payload must match before the handler sees it. */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition {
  if (!definition.run === !definition.runMany)
    throw new Error(`Job kind ${definition.kind}: give exactly one of run (one job at a time) and runMany (batches).`);
  if (definition.batchSize !== undefined && !(Number.isInteger(definition.batchSize) && definition.batchSize >= 1))
    throw new Error(`Job kind ${definition.kind}: batchSize must be a whole number of at least 1.`);
  return definition as never;
}
