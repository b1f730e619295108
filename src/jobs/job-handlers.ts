import type { z } from 'zod';
import type { Job } from './job-queue.js';

export type JobContext = {
  job: Job;
  /** Aborted when the worker shuts down or loses the job's lease; long handlers should stop then. */
  signal: AbortSignal;
  reportProgress(progress: Record<string, unknown>): Promise<void>;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  kind: string;
  payload: S;
  run(payload: z.infer<S>, context: JobContext): Promise<void>;
};

/** Declares a job kind with the schema its payload must match before the handler sees it. */
export const defineJob = <S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition => definition as never;
