import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
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

export type JobFilter = { status?: JobStatus; kind?: string; before?: number; limit: number };

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

/**
 * The durable queue: jobs are rows, claimed with FOR UPDATE SKIP LOCKED under a lease that the
 * running worker keeps extending. A lease that runs out (its process died) makes the job claimable
 * again, so a crash loses nothing.
 */
export function createJobQueue({ db, retryPolicy = defaultRetryPolicy }: { db: Database; retryPolicy?: RetryPolicy }) {
  const listeners = new Set<() => void>();

  return {
    /** Called when this process enqueues work, so local workers need not wait for their next poll. */
    onEnqueue(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Tells local workers that rows were added to the queue by other means (a bulk INSERT … SELECT). */
    notifyEnqueued() {
      for (const listener of listeners) listener();
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
        runAt: request.runAt,
        maxAttempts: request.maxAttempts,
      };
      const [inserted] = await executor.insert(jobs).values(values).onConflictDoNothing().returning();
      for (const listener of listeners) listener();
      if (inserted) return inserted;
      const [existing] = await executor.select().from(jobs).where(eq(jobs.idempotencyKey, request.idempotencyKey!));
      return existing!;
    },

    async claim(workerId: string, kinds: string[], limit: number, leaseMs: number): Promise<Job[]> {
      if (kinds.length === 0 || limit <= 0) return [];
      const claimable = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            inArray(jobs.kind, kinds),
            sql`${jobs.runAt} <= now()`,
            lt(jobs.attempts, jobs.maxAttempts),
            or(eq(jobs.status, 'queued'), and(eq(jobs.status, 'running'), sql`${jobs.lockedUntil} < now()`)),
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
          lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
          attempts: sql`${jobs.attempts} + 1`,
          startedAt: sql`now()`,
        })
        .where(inArray(jobs.id, claimable))
        .returning();
    },

    /** Extends the leases this worker holds; returns the ids it still holds. */
    async heartbeat(workerId: string, ids: number[], leaseMs: number): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const held = await db
        .update(jobs)
        .set({ lockedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
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
        .set({ status: 'succeeded', lockedBy: null, lockedUntil: null, finishedAt: sql`now()`, lastError: null })
        .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /** Schedules the next attempt with backoff, or moves the job to the dead letters when none are left. */
    async fail(workerId: string, job: Job, error: unknown) {
      const dead = job.attempts >= job.maxAttempts;
      const delay = backoffDelayMs(job.attempts, retryPolicy);
      await db
        .update(jobs)
        .set({
          status: dead ? 'dead' : 'queued',
          lastError: errorText(error),
          lockedBy: null,
          lockedUntil: null,
          finishedAt: dead ? sql`now()` : null,
          runAt: dead ? undefined : sql`now() + ${delay} * interval '1 millisecond'`,
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /** Jobs whose last allowed attempt lost its process go to the dead letters instead of waiting forever. */
    async buryAbandoned(): Promise<number> {
      const buried = await db
        .update(jobs)
        .set({
          status: 'dead',
          lastError: 'The worker running the last attempt stopped before finishing (lease expired).',
          lockedBy: null,
          lockedUntil: null,
          finishedAt: sql`now()`,
        })
        .where(
          and(
            eq(jobs.status, 'running'),
            sql`${jobs.lockedUntil} < now()`,
            sql`${jobs.attempts} >= ${jobs.maxAttempts}`,
          ),
        )
        .returning({ id: jobs.id });
      return buried.length;
    },

    async get(executor: Executor, id: number): Promise<Job | undefined> {
      const [job] = await executor.select().from(jobs).where(eq(jobs.id, id));
      return job;
    },

    async list(filter: JobFilter) {
      const conditions: SQL[] = [];
      if (filter.status) conditions.push(eq(jobs.status, filter.status));
      if (filter.kind) conditions.push(eq(jobs.kind, filter.kind));
      if (filter.before) conditions.push(lt(jobs.id, filter.before));
      const rows = await db
        .select()
        .from(jobs)
        .where(and(...conditions))
        .orderBy(desc(jobs.id))
        .limit(filter.limit + 1);
      const page = rows.slice(0, filter.limit);
      return { jobs: page, nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null };
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
        .set({ status: 'queued', attempts: 0, runAt: sql`now()`, finishedAt: null })
        .where(and(eq(jobs.id, id), inArray(jobs.status, ['dead', 'cancelled'])))
        .returning();
      if (job) for (const listener of listeners) listener();
      return job;
    },
  };
}
