import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../jobs/job-handlers.js';
import { SLA_CHECK_JOB, type SlaService } from './sla.service.js';

/**
 * The SLA timer: one job per minute while some ticket has a target to watch. Each run enqueues the
 * next minute's (one per minute, by its idempotency key); a ticket given due times starts it again.
 */
export function slaJobs(deps: { sla: Pick<SlaService, 'check'> }): JobDefinition[] {
  return [
    defineJob({
      kind: SLA_CHECK_JOB,
      payload: z.object({ minute: z.string() }),
      async run() {
        await deps.sla.check();
      },
    }),
  ];
}
