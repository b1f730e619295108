import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { INDEX_COMMUNICATIONS_JOB, type CommunicationIndex } from './communication-index.service.js';

/** The communication indexer: one run per interval, each scheduling the next. */
export function searchJobs(deps: {
  index: Pick<CommunicationIndex, 'indexArchived' | 'scheduleNext'>;
}): JobDefinition[] {
  return [
    defineJob({
      kind: INDEX_COMMUNICATIONS_JOB,
      payload: z.object({ at: z.string() }),
      async run() {
        await deps.index.indexArchived();
        await deps.index.scheduleNext();
      },
    }),
  ];
}
