import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import {
  isDatabaseUnavailable,
  rows,
  type Database,
  type Engine,
  type Executor,
  type Storage,
} from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { DEFAULT_MAX_ATTEMPTS, jobs, type JobStatus } from './jobs.tables.js';
import { jobsTableUpkeep } from './queue-upkeep.js';

export type Job = typeof jobs.$inferSelect;

/**
 * What a worker holds of a job it claimed: enough to run it, start it in order, keep its lease and
 * count its attempts. Claims return only these columns: at tens of thousands of jobs a second,
 * reading the other timestamps cost the worker a tenth of its time.
 */
const claimedColumns = {
  id: jobs.id,
  kind: jobs.kind,
  payload: jobs.payload,
  attempts: jobs.attempts,
  maxAttempts: jobs.maxAttempts,
  runAt: jobs.runAt,
  lockedUntil: jobs.lockedUntil,
};
export type ClaimedJob = Pick<Job, keyof typeof claimedColumns>;

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
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 4000);

/**
 * What a job kind records when one of its jobs goes to the dead letters, run on the transaction that
 * marks it dead. `lastError` is the failure's message.
 */
export type DeadLetterHook = (job: ClaimedJob, lastError: string, executor: Executor) => Promise<void>;

/** Rows per statement of enqueueMany: one JSON parameter each, so the size only bounds memory. */
const ENQUEUE_CHUNK = 5_000;
/** Ids as one array parameter: a list of hundreds of parameters costs the server more to parse and plan. */
const anyId = (ids: number[]) => sql`${jobs.id} = any(${`{${ids.join(',')}}`}::bigint[])`;

const ABANDONED = 'The worker running the last attempt stopped before finishing (lease expired).';

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
  engine = 'postgres',
}: {
  db: Database;
  clock: Clock;
  retryPolicy?: RetryPolicy;
  /** Hears enqueues from other processes (PostgreSQL LISTEN), so their workers need not poll. */
  listen?: Storage['listen'];
  /** On the embedded database the queue vacuums its own table, and workers send one statement at a time. */
  engine?: Engine;
}) {
  const listeners = new Set<() => void>();
  const wakeAll = () => {
    for (const listener of listeners) listener();
  };
  let stopListening: (() => Promise<void>) | undefined;
  const after = (ms: number) => new Date(clock.now().getTime() + ms);

  async function enqueue(executor: Executor, request: EnqueueRequest): Promise<Job> {
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
  }

  return {
    /** The queue's time: run-at times, leases and retention are measured by it. */
    now: () => clock.now(),

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

    enqueue,

    /**
     * Enqueues the request unless a job of its kind is queued or running: a periodic job's chain,
     * resumed at start, goes on from another process's or an earlier start's instead of beside it.
     */
    async ensureScheduled(executor: Executor, request: EnqueueRequest): Promise<Job | undefined> {
      const [pending] = await executor
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.kind, request.kind), inArray(jobs.status, ['queued', 'running'])))
        .limit(1);
      return pending ? undefined : enqueue(executor, request);
    },

    /**
     * Inserts many jobs in one multi-row statement (chunked for very large lists) in the caller's
     * executor/transaction; wakes local workers after. Returns the number inserted (idempotency
     * conflicts skipped). The rows travel as one JSON parameter, so a chunk is one short statement
     * whatever its size; the insert trigger notifies other processes once per statement, at commit.
     * Inside a transaction, local workers woken before the commit find nothing yet: call
     * notifyEnqueued after it for them to start at once rather than at their next poll.
     */
    async enqueueMany(executor: Executor, requests: EnqueueRequest[]): Promise<number> {
      let inserted = 0;
      const now = clock.now();
      for (let offset = 0; offset < requests.length; offset += ENQUEUE_CHUNK) {
        const chunk = requests.slice(offset, offset + ENQUEUE_CHUNK).map((request) => ({
          kind: request.kind,
          payload: request.payload ?? null,
          idempotency_key: request.idempotencyKey ?? null,
          run_at: request.runAt ?? now,
          max_attempts: request.maxAttempts ?? null,
        }));
        const [result] = await rows<{ n: number }>(
          executor,
          sql`with inserted as (
                insert into jobs (kind, payload, idempotency_key, run_at, max_attempts)
                select r.kind, coalesce(r.payload, 'null'::jsonb), r.idempotency_key, r.run_at,
                       coalesce(r.max_attempts, ${DEFAULT_MAX_ATTEMPTS}::int)
                from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
                  as r(kind text, payload jsonb, idempotency_key text, run_at timestamptz, max_attempts int)
                on conflict do nothing
                returning 1)
              select count(*)::int as n from inserted`,
        );
        inserted += result!.n;
      }
      if (inserted > 0) wakeAll();
      return inserted;
    },

    /** Leases up to `limit` due jobs of these kinds to the worker; returns them oldest due first. */
    async claim(workerId: string, kinds: string[], limit: number, leaseMs: number): Promise<ClaimedJob[]> {
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
      const claimed = await db
        .update(jobs)
        .set({
          status: 'running',
          lockedBy: workerId,
          lockedUntil: new Date(now.getTime() + leaseMs),
          attempts: sql`${jobs.attempts} + 1`,
          startedAt: now,
        })
        .where(inArray(jobs.id, claimable))
        .returning(claimedColumns);
      // RETURNING keeps no order; a worker starts what it claimed ahead in this order.
      return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
    },

    /** Extends the leases this worker holds; returns the ids it still holds. */
    async heartbeat(workerId: string, ids: number[], leaseMs: number): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const held = await db
        .update(jobs)
        .set({ lockedUntil: after(leaseMs) })
        .where(and(anyId(ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
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
        .where(and(anyId(ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')));
    },

    /**
     * Schedules the next attempt with backoff, or moves the job to the dead letters when none are
     * left, together with its kind's dead-letter hook in one transaction. A job that failed because
     * the database was out of reach did nothing wrong: it keeps the attempt and runs again after the
     * first step of the backoff.
     */
    async fail(workerId: string, job: ClaimedJob, error: unknown, onDead?: DeadLetterHook) {
      const unreachable = isDatabaseUnavailable(error);
      const dead = !unreachable && job.attempts >= job.maxAttempts;
      const delay = backoffDelayMs(unreachable ? 1 : job.attempts, retryPolicy);
      const mark = (executor: Executor) =>
        executor
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
          .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
          .returning({ id: jobs.id });
      if (!dead || !onDead) {
        await mark(db);
        return;
      }
      await db.transaction(async (tx) => {
        // A lease lost meanwhile means another worker has the job: its consequence is not ours to record.
        const [marked] = await mark(tx);
        if (marked) await onDead(job, errorMessage(error), tx);
      });
    },

    /**
     * Gives back jobs a stopping worker could not finish in time: claimable again at once (not when
     * their lease would have run out), and the interrupted attempt is not counted against them.
     */
    async release(workerId: string, ids: number[], { started = true }: { started?: boolean } = {}): Promise<number> {
      if (ids.length === 0) return 0;
      const released = await db
        .update(jobs)
        .set({
          status: 'queued',
          attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
          lockedBy: null,
          lockedUntil: null,
          runAt: clock.now(),
          // A job claimed ahead that never started keeps the error of its previous attempt, if any.
          lastError: started ? 'Released by a worker that was stopping before the job finished.' : undefined,
        })
        .where(and(anyId(ids), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running')))
        .returning({ id: jobs.id });
      return released.length;
    },

    /**
     * Jobs whose last allowed attempt lost its process go to the dead letters instead of waiting
     * forever, each with its kind's dead-letter hook run in the same transaction.
     */
    async buryAbandoned(onDead: ReadonlyMap<string, DeadLetterHook> = new Map()): Promise<number> {
      const now = clock.now();
      const abandoned = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now), sql`${jobs.attempts} >= ${jobs.maxAttempts}`))
        .for('update', { skipLocked: true });
      return db.transaction(async (tx) => {
        const buried = await tx
          .update(jobs)
          .set({ status: 'dead', lastError: ABANDONED, lockedBy: null, lockedUntil: null, finishedAt: now })
          .where(inArray(jobs.id, abandoned))
          .returning();
        for (const job of buried) await onDead.get(job.kind)?.(job, ABANDONED, tx);
        return buried.length;
      });
    },

    /**
     * The embedded database runs one statement at a time (its workers gain nothing from statements
     * in parallel) and has no autovacuum: every claim and completion leaves a dead row version that
     * claims keep stepping over until the queue vacuums.
     */
    embedded: engine === 'pglite',

    ...jobsTableUpkeep(db, engine),

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
