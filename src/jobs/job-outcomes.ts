import type { ClaimedJob, DeadLetterHook, JobQueue } from './job-queue.js';

/** Finished jobs are marked succeeded together, at most this long after they finish. */
const COMPLETION_FLUSH_MS = 5;
const COMPLETION_BATCH = 100;
/** Finished jobs piled up under load are marked in up to this many statements at once (on PostgreSQL). */
const COMPLETING_AT_ONCE = 3;

/**
 * A worker's finished jobs on their way to the database: successes marked together, failures one by
 * one. What the database does not take is kept until it does, so an outage loses no outcome.
 */
export function createJobOutcomes(deps: {
  queue: Pick<JobQueue, 'completeMany' | 'fail' | 'embedded'>;
  workerId: string;
  deadHooks: ReadonlyMap<string, DeadLetterHook>;
  trouble: (error: unknown, what: string) => void;
  /** Called after a statement went through: the database is reachable. */
  stored: () => void;
}) {
  const { queue, workerId, deadHooks, trouble, stored } = deps;
  const completingAtOnce = queue.embedded ? 1 : COMPLETING_AT_ONCE;
  const succeeded: number[] = [];
  const failed = new Map<number, { job: ClaimedJob; error: unknown }>();
  let recording: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | undefined;

  /**
   * Stores the outcomes waiting: successes first, split over a few statements that run at once (the
   * server works on them in parallel), then failures one by one. Stops at the first statement the
   * database refuses and keeps what it could not store.
   */
  async function store() {
    // Successes that come in meanwhile wait for the next call: failures are not held back behind a stream of them.
    if (succeeded.length > 0) {
      const statements = Math.min(completingAtOnce, Math.ceil(succeeded.length / COMPLETION_BATCH));
      const size = Math.ceil(succeeded.length / statements);
      const chunks = Array.from({ length: statements }, () => succeeded.splice(0, size));
      const results = await Promise.allSettled(chunks.map((ids) => queue.completeMany(workerId, ids)));
      const refused = results.flatMap((result, index) => (result.status === 'rejected' ? [index] : []));
      if (refused.length > 0) {
        for (const index of refused) succeeded.unshift(...chunks[index]!);
        return trouble((results[refused[0]!] as PromiseRejectedResult).reason, 'recording finished jobs failed');
      }
      stored();
    }
    for (const [jobId, { job, error }] of failed) {
      try {
        await queue.fail(workerId, job, error, deadHooks.get(job.kind));
        failed.delete(jobId);
        stored();
      } catch (recordError) {
        return trouble(recordError, 'recording a failed job failed');
      }
    }
  }

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (succeeded.length === 0 && failed.size === 0) return recording;
    recording = recording.then(store);
    return recording;
  }

  return {
    flush,
    succeeded(job: ClaimedJob) {
      succeeded.push(job.id);
      if (succeeded.length >= COMPLETION_BATCH) void flush();
      else flushTimer ??= setTimeout(flush, COMPLETION_FLUSH_MS);
    },
    failed(job: ClaimedJob, error: unknown) {
      failed.set(job.id, { job, error });
      void flush();
    },
    get failuresWaiting() {
      return failed.size > 0;
    },
    /** Jobs finished here whose outcome is not stored yet: their leases are still this worker's. */
    waitingIds: () => [...succeeded, ...failed.keys()],
  };
}
