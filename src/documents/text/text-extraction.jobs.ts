import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../jobs/job-handlers.js';
import { EXTRACT_TEXT_JOB, TEXT_BACKFILL_JOB, type TextExtraction } from './text-extraction.service.js';

/** A job per document version reads its text; a backfill queues versions that have none yet. */
export function textExtractionJobs(deps: {
  extraction: Pick<TextExtraction, 'extract' | 'markFailed' | 'backfill'>;
}): JobDefinition[] {
  return [
    defineJob({
      kind: EXTRACT_TEXT_JOB,
      payload: z.object({ versionId: z.uuid() }),
      async run({ versionId }) {
        await deps.extraction.extract(versionId);
      },
      onDead: ({ versionId }, lastError, executor) => deps.extraction.markFailed(executor, versionId, lastError),
    }),
    defineJob({
      kind: TEXT_BACKFILL_JOB,
      payload: z.object({}),
      async run() {
        await deps.extraction.backfill();
      },
    }),
  ];
}
