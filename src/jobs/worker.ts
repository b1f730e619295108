import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/database.js';
import type { JobDefinition } from './job-handlers.js';
import type { Job, JobQueue } from './job-queue.js';

export type WorkerOptions = {
  queue: JobQueue;
  definitions: JobDefinition[];
  concurrency: number;
  leaseMs: number;
  pollMs?: number;
  logger: Logger;
  onFinished?: (kind: string, outcome: 'succeeded' | 'failed') => void;
};

export type Worker = {
  id: string;
  start(): void;
  /**
   * Takes no more jobs, lets the running ones finish for up to `graceMs`, then gives the rest back
   * to the queue at once (another process need not wait for their leases to run out).
   */
  stop(graceMs?: number): Promise<void>;
  /**
   * Runs every job that is due now (by the queue's clock), and what those jobs enqueue for now, until
   * none is left and all have finished: a job due later stays queued. For a stopped worker (tests and
   * tools), so that "nothing was due" is a fact, not a guess about how long the loop takes to look.
   */
  drain(): Promise<void>;
};

/** Finished jobs are marked succeeded together, at most this long after they finish. */
const COMPLETION_FLUSH_MS = 5;
const COMPLETION_BATCH = 100;

/**
 * Runs jobs from the queue in this process, up to `concurrency` at a time. Claims in batches once
 * half its slots are free, marks finished jobs in batches, polls when idle and is woken at once by
 * enqueues; keeps the leases of its running jobs alive with heartbeats. When the database is out of
 * reach it keeps the outcomes it could not record, polls until the database is back and carries on.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { queue, concurrency, leaseMs, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const handlers = new Map(options.definitions.map((definition) => [definition.kind, definition]));
  const kinds = [...handlers.keys()];
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  // Outcomes not yet stored: kept until the database takes them, so an outage loses none.
  const succeeded: number[] = [];
  const failed = new Map<number, { job: Job; error: unknown }>();
  let recording: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | undefined;
  let stopped = true;
  let wakeRequested = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let unreachableSince: number | undefined;

  /** A lost database is said once per outage, not once per statement; other failures each time. */
  function trouble(error: unknown, what: string) {
    if (!isDatabaseUnavailable(error)) return logger.error({ err: error }, what);
    if (unreachableSince !== undefined) return;
    unreachableSince = Date.now();
    logger.warn({ err: error }, 'the database is unreachable; jobs wait for it and resume when it is back');
  }

  function reachable() {
    if (unreachableSince === undefined) return;
    logger.info({ unreachableMs: Date.now() - unreachableSince }, 'the database is reachable again; jobs resume');
    unreachableSince = undefined;
  }

  function requestWake() {
    wakeRequested = true;
    wake?.();
  }

  async function storeOutcomes() {
    const ids = succeeded.splice(0);
    if (ids.length > 0) {
      try {
        await queue.completeMany(id, ids);
        reachable();
      } catch (error) {
        succeeded.unshift(...ids);
        return trouble(error, 'recording finished jobs failed');
      }
    }
    for (const [jobId, { job, error }] of failed) {
      try {
        await queue.fail(id, job, error);
        failed.delete(jobId);
        reachable();
      } catch (recordError) {
        return trouble(recordError, 'recording a failed job failed');
      }
    }
  }

  function flushOutcomes() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (succeeded.length === 0 && failed.size === 0) return recording;
    recording = recording.then(storeOutcomes);
    return recording;
  }

  function recordSuccess(jobId: number) {
    succeeded.push(jobId);
    if (succeeded.length >= COMPLETION_BATCH) void flushOutcomes();
    else flushTimer ??= setTimeout(flushOutcomes, COMPLETION_FLUSH_MS);
  }

  async function execute(job: Job, controller: AbortController) {
    const definition = handlers.get(job.kind)!;
    try {
      const payload = definition.payload.parse(job.payload);
      await definition.run(payload, {
        job,
        signal: controller.signal,
        reportProgress: (progress) => queue.reportProgress(id, job.id, progress),
      });
      recordSuccess(job.id);
      options.onFinished?.(job.kind, 'succeeded');
    } catch (error) {
      if (isDatabaseUnavailable(error)) trouble(error, 'job failed');
      else logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: error }, 'job failed');
      failed.set(job.id, { job, error });
      void flushOutcomes();
      options.onFinished?.(job.kind, 'failed');
    }
  }

  async function pollOnce(): Promise<number> {
    const claimed = await queue.claim(id, kinds, concurrency - running.size, leaseMs);
    reachable();
    for (const job of claimed) {
      const controller = new AbortController();
      const done = execute(job, controller).finally(() => {
        running.delete(job.id);
        requestWake();
      });
      running.set(job.id, { controller, done });
    }
    return claimed.length;
  }

  /** Claiming one slot at a time costs a statement per job; wait until half the slots are free. */
  const wantsWork = () => running.size === 0 || concurrency - running.size >= Math.ceil(concurrency / 2);

  async function run() {
    let polls = 0;
    while (!stopped) {
      let claimed = 0;
      wakeRequested = false;
      try {
        // Outcomes an outage kept back go first, so their jobs are not claimed again meanwhile.
        if (unreachableSince !== undefined || failed.size > 0) await flushOutcomes();
        if (wantsWork()) claimed = await pollOnce();
        if (++polls % 30 === 0) await queue.buryAbandoned();
      } catch (error) {
        trouble(error, 'job worker poll failed');
      }
      if (claimed > 0 && wantsWork()) continue;
      await new Promise<void>((resolve) => {
        // While the database is away, finished jobs do not hurry the next try: it waits a full poll.
        const outage = () => unreachableSince !== undefined && !stopped;
        if (wakeRequested && !outage()) return resolve();
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          if (outage()) return;
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  async function heartbeat() {
    const ids = [...running.keys()];
    try {
      const held = await queue.heartbeat(id, ids, leaseMs);
      reachable();
      for (const jobId of ids) {
        if (!held.has(jobId)) running.get(jobId)?.controller.abort(new Error('lease lost'));
      }
    } catch (error) {
      trouble(error, 'job heartbeat failed');
    }
  }

  async function drain() {
    // A stopped worker keeps no heartbeat of its own: this one holds the leases while the drain runs.
    const ownHeartbeat = heartbeatTimer ? undefined : setInterval(heartbeat, Math.max(50, leaseMs / 3));
    heartbeatTimer ??= ownHeartbeat;
    try {
      for (;;) {
        await flushOutcomes();
        const claimed = wantsWork() ? await pollOnce() : 0;
        if (claimed === 0 && running.size === 0) break;
        if (claimed === 0) await Promise.race([...running.values()].map((entry) => entry.done));
      }
      await flushOutcomes();
    } finally {
      clearInterval(ownHeartbeat);
      if (heartbeatTimer === ownHeartbeat) heartbeatTimer = undefined;
    }
  }

  return {
    id,
    drain,
    start() {
      if (!stopped || kinds.length === 0) return;
      stopped = false;
      unsubscribe = queue.onEnqueue(requestWake);
      heartbeatTimer = setInterval(heartbeat, Math.max(50, leaseMs / 3));
      loop = run();
    },
    async stop(graceMs = 10_000) {
      if (stopped) return;
      stopped = true;
      const unsubscribed = unsubscribe?.();
      wake?.();
      await loop;
      const all = Promise.all([...running.values()].map((entry) => entry.done));
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs)))]);
      clearTimeout(graceTimer);
      const unfinished = [...running.keys()];
      for (const entry of running.values()) entry.controller.abort(new Error('worker stopping'));
      clearInterval(heartbeatTimer);
      await flushOutcomes();
      if (unfinished.length > 0) {
        try {
          const released = await queue.release(id, unfinished);
          logger.info({ jobIds: unfinished, released }, 'gave back the jobs that did not finish before the stop');
        } catch (error) {
          trouble(error, 'giving back unfinished jobs failed; their leases will run out');
        }
      }
      await unsubscribed;
    },
  };
}
