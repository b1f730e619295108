import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { SCAN_PROCESS_JOB, type ScansService } from './scans.service.js';

/** Each scan is read and filed by a job of its own: OCR takes seconds, and a crash mid-filing is continued. */
export function scansJobs(deps: { scans: Pick<ScansService, 'process' | 'markFailed' | 'retried'> }): JobDefinition[] {
  return [
    defineJob({
      kind: SCAN_PROCESS_JOB,
      payload: z.object({ scanId: z.uuid() }),
      async run({ scanId }, { signal }) {
        await deps.scans.process(scanId, signal);
      },
      onDead: ({ scanId }, lastError, executor) => deps.scans.markFailed(executor, scanId, lastError),
      onRetry: ({ scanId }, executor) => deps.scans.retried(executor, scanId),
    }),
  ];
}
