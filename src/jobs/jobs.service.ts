import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError, notFound } from '../shared/errors.js';
import type { JobDefinition } from './job-handlers.js';
import type { JobFilter, JobQueue } from './job-queue.js';

export type JobsService = ReturnType<typeof createJobsService>;

/** What staff may see and do with the queue; workers use the queue directly. */
export function createJobsService({
  db,
  queue,
  audit,
  definitions,
}: {
  db: Database;
  queue: JobQueue;
  audit: Pick<AuditTrail, 'record'>;
  /** The job kinds of this process, asked at retry time (they are declared after the services). */
  definitions: () => readonly Pick<JobDefinition, 'kind' | 'payload' | 'onRetry'>[];
}) {
  return {
    async list(actor: Actor, filter: JobFilter) {
      authorize(actor, 'jobs.read');
      const [page, counts] = await Promise.all([queue.list(filter), queue.countsByStatus()]);
      return { ...page, counts };
    },

    async get(actor: Actor, id: number) {
      authorize(actor, 'jobs.read');
      const job = await queue.get(db, id);
      if (!job) throw notFound('job', id);
      return job;
    },

    async retry(actor: Actor, id: number) {
      authorize(actor, 'jobs.manage');
      return db.transaction(async (tx) => {
        const existing = await queue.get(tx, id);
        if (!existing) throw notFound('job', id);
        const job = await queue.requeue(tx, id);
        if (!job) {
          throw new AppError(
            'conflict',
            'job.not_retryable',
            `Job ${id} is ${existing.status}; only dead or cancelled jobs can be retried.`,
          );
        }
        const definition = definitions().find((candidate) => candidate.kind === job.kind);
        const parsed = definition?.payload.safeParse(job.payload);
        if (definition?.onRetry && parsed?.success) await definition.onRetry(parsed.data, tx);
        await audit.record(tx, actor, {
          action: 'job.retried',
          entityType: 'job',
          entityId: String(id),
          summary: { kind: job.kind, lastError: existing.lastError?.split('\n')[0] ?? null },
        });
        return job;
      });
    },
  };
}
