import { and, lt, sql } from 'drizzle-orm';
import type { Database, Engine } from '../db/database.js';
import type { DeadLetterHook, JobQueue } from './job-queue.js';
import { jobs } from './jobs.tables.js';

/** Old finished jobs are deleted this many at a time, once a minute, or at once again while more are left. */
const PRUNE_BATCH = 1_000;
const PRUNE_EVERY_MS = 60_000;
/** On the embedded database (no autovacuum): VACUUM ANALYZE after this many finished jobs, or this long while busy. */
const VACUUM_EVERY_JOBS = 10_000;
const VACUUM_EVERY_MS = 5 * 60_000;
/** On the embedded database: VACUUM ANALYZE of every table this often. */
const VACUUM_ALL_EVERY_MS = 60 * 60_000;

/**
 * The jobs table's upkeep statements, part of the queue (its callers hold the queue, not the
 * database): pruning old finished jobs, and vacuuming on the embedded database.
 */
export function jobsTableUpkeep(db: Database, engine: Engine) {
  return {
    /**
     * Deletes up to `limit` succeeded and cancelled jobs that finished before `finishedBefore`,
     * oldest first; returns how many. Dead jobs stay: they are failures an admin may still retry.
     * Rows another process is deleting at the same time are skipped, not waited for.
     */
    async prune(finishedBefore: Date, limit: number): Promise<number> {
      const old = db
        .select({ id: jobs.id })
        .from(jobs)
        // Written as the index's own predicate (jobs_finished_idx), so that the planner sees they match.
        .where(and(sql`${jobs.status} in ('succeeded', 'cancelled')`, lt(jobs.finishedAt, finishedBefore)))
        .orderBy(jobs.finishedAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      // An array, not `in (…)`: the planner would hash-join the whole table against the thousand ids.
      const pruned = await db
        .delete(jobs)
        .where(sql`${jobs.id} = any(array(${old}))`)
        .returning({ id: jobs.id });
      return pruned.length;
    },

    /** Reclaims dead row versions and refreshes statistics; the embedded database only (see the queue's `embedded`). */
    async vacuum() {
      if (engine === 'pglite') await db.execute(sql`vacuum analyze jobs`);
    },

    /**
     * Every table's dead row versions and statistics, as autovacuum would keep them: the customers'
     * search and filters plan by them after imports and batch runs. The embedded database only.
     */
    async vacuumAll() {
      if (engine === 'pglite') await db.execute(sql`vacuum analyze`);
    },
  };
}

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
