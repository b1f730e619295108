import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { INBOUND_PROCESS_JOB, type InboundService } from './inbound.service.js';

/** Each accepted message is processed by a job of its own, so a crash after the 250 loses nothing. */
export function inboundJobs(deps: { inbound: Pick<InboundService, 'process' | 'markFailed'> }): JobDefinition[] {
  return [
    defineJob({
      kind: INBOUND_PROCESS_JOB,
      payload: z.object({ inboundMessageId: z.uuid() }),
      async run({ inboundMessageId }) {
        await deps.inbound.process(inboundMessageId);
      },
      onDead: ({ inboundMessageId }, lastError, executor) =>
        deps.inbound.markFailed(executor, inboundMessageId, lastError),
    }),
  ];
}
