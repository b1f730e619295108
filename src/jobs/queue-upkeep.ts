import type { DeadLetterHook, JobQueue } from './job-queue.js';

/** Old finished jobs are deleted this many at a time, once a minute, or at once again while more are left. */
const PRUNE_BATCH = 1_000;
const PRUNE_EVERY_MS = 60_000;
/** On the embedded database (no autovacuum): VACUUM ANALYZE after this many finished jobs, or this long while busy. */
const VACUUM_EVERY_JOBS = 10_000;
const VACUUM_EVERY_MS = 5 * 60_000;
/** On the embedded database: VACUUM ANALYZE of every table this often. */
const VACUUM_ALL_EVERY_MS = 60 * 60_000;

export type QueueUpkeep = ReturnType<typeof createQueueUpkeep>;

/**
 * The queue's upkeep a worker does between claims, each step when it is due by the queue's clock:
 * burying abandoned last attempts (once a lease), pruning old finished jobs, and on the embedded
 * database vacuuming the jobs table, and every table hourly (it has no autovacuum).
 */
export function createQueueUpkeep({
  queue,
  leaseMs,
  retentionMs,
  deadHooks,
  trouble,
}: {
  queue: Pick<JobQueue, 'now' | 'embedded' | 'buryAbandoned' | 'prune' | 'vacuum' | 'vacuumAll'>;
  leaseMs: number;
  /** Succeeded and cancelled jobs are deleted this long after they finished. */
  retentionMs: number;
  deadHooks: ReadonlyMap<string, DeadLetterHook>;
  /** Where a failed step is reported; one failing does not hold back the others. */
  trouble: (error: unknown, what: string) => void;
}) {
  let nextBuryAt = 0;
  let nextPruneAt = 0;
  let vacuumedAt = queue.now().getTime();
  let finishedSinceVacuum = 0;
  let nextVacuumAllAt = vacuumedAt + VACUUM_ALL_EVERY_MS;

  return {
    jobFinished() {
      finishedSinceVacuum++;
    },

    /** Runs each step that is due. */
    async run() {
      const now = queue.now().getTime();
      if (now >= nextBuryAt) {
        nextBuryAt = now + leaseMs;
        await queue.buryAbandoned(deadHooks).catch((error) => trouble(error, 'burying abandoned jobs failed'));
      }
      if (now >= nextPruneAt) {
        nextPruneAt = now + PRUNE_EVERY_MS;
        const pruned = await queue
          .prune(new Date(now - retentionMs), PRUNE_BATCH)
          .catch((error) => trouble(error, 'pruning finished jobs failed'));
        if (pruned === PRUNE_BATCH) nextPruneAt = now;
      }
      const busyFor = finishedSinceVacuum > 0 ? now - vacuumedAt : 0;
      if (queue.embedded && (finishedSinceVacuum >= VACUUM_EVERY_JOBS || busyFor >= VACUUM_EVERY_MS)) {
        finishedSinceVacuum = 0;
        vacuumedAt = now;
        await queue.vacuum().catch((error) => trouble(error, 'vacuuming the jobs table failed'));
      }
      if (queue.embedded && now >= nextVacuumAllAt) {
        nextVacuumAllAt = now + VACUUM_ALL_EVERY_MS;
        await queue.vacuumAll().catch((error) => trouble(error, 'vacuuming the database failed'));
      }
    },
  };
}
