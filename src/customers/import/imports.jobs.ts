import { z } from 'zod';
import { roles } from '../../auth/roles.js';
import { defineJob } from '../../jobs/job-handlers.js';
import { AppError } from '../../shared/errors.js';
import type { createImportRunner } from './import-runner.js';
import { CUSTOMER_IMPORT_JOB } from './imports.service.js';

/** Who started the import: its audit events are theirs. */
const actorSchema = z.union([
  z.object({
    kind: z.literal('user'),
    userId: z.string(),
    email: z.string(),
    roles: z.array(z.enum(roles)),
    via: z.enum(['session', 'token', 'cli']),
  }),
  z.object({ kind: z.literal('system'), label: z.string() }),
]);

/**
 * Runs a started customer import. An AppError (the file is gone, the mapping no longer fits) will
 * not heal by retrying, so the import fails at once; anything else retries with the queue's
 * backoff and resumes after the last batch written.
 */
export const customerImportJob = (runner: ReturnType<typeof createImportRunner>) =>
  defineJob({
    kind: CUSTOMER_IMPORT_JOB,
    payload: z.object({ importId: z.uuid(), runId: z.string(), actor: actorSchema }),
    async run(payload, { job, signal, reportProgress }) {
      try {
        await runner.run(payload, { signal, reportProgress });
      } catch (error) {
        // A stopping worker or a lost lease is not the import's fault: another attempt takes over.
        if (signal.aborted) throw error;
        const permanent = error instanceof AppError;
        if (permanent || job.attempts >= job.maxAttempts) await runner.fail(payload, error);
        if (!permanent) throw error;
      }
    },
  });
