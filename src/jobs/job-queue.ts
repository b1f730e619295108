import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { isDatabaseUnavailable, type Database, type Executor, type Storage } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { jobs, type JobStatus } from './jobs.tables.js';

export type Job = typeof jobs.$inferSelect;

export type EnqueueRequest = {
  kind: string;
  payload: unknown;
  /** A second enqueue with the same key returns the first job instead of adding another. */
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
};

export type JobFilter = { status?: JobStatus; kind?: string; cursor?: string; limit: number };

/** Newest first: ids grow with every enqueue. */
const newestFirst = keyset([{ expression: jobs.id, type: 'bigint' }], 'desc');

export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number };

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 3_600_000 };

/** Exponential backoff with ±20% jitter so that failed jobs do not retry in lockstep. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + random() * 0.4));
}

const errorText = (error: unknown) =>
  (error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 4000);

export type JobQueue = ReturnType<typeof createJobQueue>;

/** The channel a trigger on `jobs` notifies when rows are inserted (migration jobs_notify). */
export const JOBS_CHANNEL = 'tidings_jobs';

/**
 * The durable queue: jobs are rows, claimed with FOR UPDATE SKIP LOCKED under a lease that the
 * running worker keeps extending. A lease that runs out (its process died) makes the job claimable
 * again, so a crash loses nothing.
 *
 * Its time is the injected clock's, as for every other service (run-at times are computed from it):
 * tests move it, and processes sharing one database keep their clocks in step (NTP).
 */
export function createJobQueue({
  db,
  clock,
  retryPolicy = defaultRetryPolicy,
  listen,
}: {
  db: Database;
  clock: Clock;
  retryPolicy?: RetryPolicy;
  /** Hears enqueues from other processes (PostgreSQL LISTEN), so their workers need not poll. */
  listen?: Storage['listen'];
}) {
  const listeners = new Set<() => void>();
  const wakeAll = () => {
    for (const listener of listeners) listener();
  };
  let stopListening: (() => Promise<void>) | undefined;
  const after = (ms: number) => new Date(clock.now().getTime() + ms);

  return {
    /**
     * Called when work is enqueued (by this process at once, by others through the database), so
     * workers need not wait for their next poll. The returned function unsubscribes.
     */
    onEnqueue(listener: () => void): () => Promise<void> {
      listeners.add(listener);
      if (listen && !stopListening) stopListening = listen(JOBS_CHANNEL, wakeAll);
      return async () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !stopListening) return;
        const stop = stopListening;
        stopListening = undefined;
        await stop();
      };
    },

    /** Tells local workers that rows were added to the queue by other means (a bulk INSERT … SELECT). */
    notifyEnqueued() {
      wakeAll();
    },

    /**
     * After a bulk insert: fresh statistics keep claims on the claim index. Planned for an empty
     * table, a claim sorts every waiting job, and the embedded database has no autovacuum to notice.
     */
    async refreshStatistics() {
      await db.execute(sql`analyze jobs`);
    },

    async enqueue(executor: Executor, request: EnqueueRequest): Promise<Job> {
      const values = {
        kind: request.kind,
        payload: request.payload ?? null,
        idempotencyKey: request.idempotencyKey,
        runAt: request.runAt ?? clock.now(),
        maxAttempts: request.maxAttempts,
      };
      const [inserted] = await executor.insert(jobs).values(values).onConflictDoNothing().returning();
      wakeAll();
      if (inserted) return inserted;
      const [existing] = await executor.select().from(jobs).where(eq(jobs.idempotencyKey, request.idempotencyKey!));
      return existing!;
    },

    async claim(workerId: string, kinds: string[], limit: number, leaseMs: number): Promise<Job[]> {
      if (kinds.length === 0 || limit <= 0) return [];
      const now = clock.now();
      const claimable = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            inArray(jobs.kind, kinds),
            lte(jobs.runAt, now),
            lt(jobs.attempts, jobs.maxAttempts),
            or(eq(jobs.status, 'queued'), and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now))),
          ),
        )
        .orderBy(jobs.runAt, jobs.id)
        .limit(limit)
        .for('update', { skipLocked: true });
      return db
        .update(jobs)
        .set({
          status: 'running',
          lockedBy: workerId,
          lockedUntil: new Date(now.getTime() + leaseMs),
          attempts: sql`${jobs.attempts} + 1`,
          startedAt: now,
        })
        .where(inArray(jobs.id, claimable))
        .returning();
    },

    /** Extends the leases this worker holds; returns the ids it still holds. */
    async heartbeat(workerId: string, ids: number[], leaseMs: number): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const held = await db
        .update(jobs)
        .set({ lockedUntil: after(leaseMs) })
        .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
        .returning({ id: jobs.id });
      return new Set(held.map((row) => row.id));
    },

    async reportProgress(workerId: string, id: number, progress: Record<string, unknown>) {
      await db
        .update(jobs)
        .set({ progress })
        .where(and(eq(jobs.id, id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /** Marks finished jobs succeeded in one statement; workers batch them to spare a commit per job. */
    async completeMany(workerId: string, ids: number[]) {
      if (ids.length === 0) return;
      await db
        .update(jobs)
        .set({ status: 'succeeded', lockedBy: null, lockedUntil: null, finishedAt: clock.now(), lastError: null })
        .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /**
     * Schedules the next attempt with backoff, or moves the job to the dead letters when none are
     * left. A job that failed because the database was out of reach did nothing wrong: it keeps the
     * attempt and runs again after the first step of the backoff.
     */
    async fail(workerId: string, job: Job, error: unknown) {
      const unreachable = isDatabaseUnavailable(error);
      const dead = !unreachable && job.attempts >= job.maxAttempts;
      const delay = backoffDelayMs(unreachable ? 1 : job.attempts, retryPolicy);
      await db
        .update(jobs)
        .set({
          status: dead ? 'dead' : 'queued',
          lastError: errorText(error),
          attempts: unreachable ? sql`${jobs.attempts} - 1` : undefined,
          lockedBy: null,
          lockedUntil: null,
          finishedAt: dead ? clock.now() : null,
          runAt: dead ? undefined : after(delay),
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /**
     * Gives back jobs a stopping worker could not finish in time: claimable again at once (not when
     * their lease would have run out), and the interrupted attempt is not counted against them.
     */
    async release(workerId: string, ids: number[]): Promise<number> {
      if (ids.length === 0) return 0;
      const released = await db
        .update(jobs)
        .set({
          status: 'queued',
          attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
          lockedBy: null,
          lockedUntil: null,
          runAt: clock.now(),
          lastError: 'Released by a worker that was stopping before the job finished.',
        })
        .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
        .returning({ id: jobs.id });
      return released.length;
    },

    /** Jobs whose last allowed attempt lost its process go to the dead letters instead of waiting forever. */
    async buryAbandoned(): Promise<number> {
      const now = clock.now();
      const buried = await db
        .update(jobs)
        .set({
          status: 'dead',
          lastError: 'The worker running the last attempt stopped before finishing (lease expired).',
          lockedBy: null,
          lockedUntil: null,
          finishedAt: now,
        })
        .where(and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now), sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
        .returning({ id: jobs.id });
      return buried.length;
    },

    async get(executor: Executor, id: number): Promise<Job | undefined> {
      const [job] = await executor.select().from(jobs).where(eq(jobs.id, id));
      return job;
    },

    async list(filter: JobFilter) {
      const rows = await db
        .select({ job: jobs, position: newestFirst.position })
        .from(jobs)
        .where(
          and(
            filter.status ? eq(jobs.status, filter.status) : undefined,
            filter.kind ? eq(jobs.kind, filter.kind) : undefined,
            newestFirst.after(filter.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(filter.limit + 1);
      const page = newestFirst.page(rows, filter.limit);
      return { jobs: page.rows.map((row) => row.job), nextCursor: page.nextCursor };
    },

    async countsByStatus(): Promise<Record<JobStatus, number>> {
      const rows = await db
        .select({ status: jobs.status, count: sql<number>`count(*)::int` })
        .from(jobs)
        .groupBy(jobs.status);
      const counts = { queued: 0, running: 0, succeeded: 0, dead: 0, cancelled: 0 };
      for (const row of rows) counts[row.status] = row.count;
      return counts;
    },

    /** Puts a dead or cancelled job back in the queue with a fresh set of attempts. */
    async requeue(executor: Executor, id: number): Promise<Job | undefined> {
      const [job] = await executor
        .update(jobs)
        .set({ status: 'queued', attempts: 0, runAt: clock.now(), finishedAt: null })
        .where(and(eq(jobs.id, id), inArray(jobs.status, ['dead', 'cancelled'])))
        .returning();
      if (job) wakeAll();
      return job;
    },
  };
}
