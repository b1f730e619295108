import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
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

export type Worker = { id: string; start(): void; stop(graceMs?: number): Promise<void> };

/** Finished jobs are marked succeeded together, at most this long after they finish. */
const COMPLETION_FLUSH_MS = 5;
const COMPLETION_BATCH = 100;

/**
 * Runs jobs from the queue in this process, up to `concurrency` at a time. Claims in batches once
 * half its slots are free, marks finished jobs in batches, polls when idle and is woken at once by
 * local enqueues; keeps the leases of its running jobs alive with heartbeats.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { queue, concurrency, leaseMs, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const handlers = new Map(options.definitions.map((definition) => [definition.kind, definition]));
  const kinds = [...handlers.keys()];
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  const succeeded: number[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | undefined;
  let stopped = true;
  let wakeRequested = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  function requestWake() {
    wakeRequested = true;
    wake?.();
  }

  function flushCompletions() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const ids = succeeded.splice(0);
    if (ids.length === 0) return flushing;
    flushing = flushing
      .then(() => queue.completeMany(id, ids))
      .catch((error) =>
        logger.error(
          { err: error, jobIds: ids },
          'recording finished jobs failed; their leases will expire and they will run again',
        ),
      );
    return flushing;
  }

  function recordSuccess(jobId: number) {
    succeeded.push(jobId);
    if (succeeded.length >= COMPLETION_BATCH) void flushCompletions();
    else flushTimer ??= setTimeout(flushCompletions, COMPLETION_FLUSH_MS);
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
      logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: error }, 'job failed');
      await queue.fail(id, job, error).catch((failError) => logger.error({ err: failError }, 'recording job failure'));
      options.onFinished?.(job.kind, 'failed');
    }
  }

  async function pollOnce(): Promise<number> {
    const claimed = await queue.claim(id, kinds, concurrency - running.size, leaseMs);
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
        if (wantsWork()) claimed = await pollOnce();
        if (++polls % 30 === 0) await queue.buryAbandoned();
      } catch (error) {
        logger.error({ err: error }, 'job worker poll failed');
      }
      if (claimed > 0 && wantsWork()) continue;
      await new Promise<void>((resolve) => {
        if (wakeRequested) return resolve();
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
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
      for (const jobId of ids) {
        if (!held.has(jobId)) running.get(jobId)?.controller.abort(new Error('lease lost'));
      }
    } catch (error) {
      logger.error({ err: error }, 'job heartbeat failed');
    }
  }

  return {
    id,
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
      unsubscribe?.();
      wake?.();
      await loop;
      const all = Promise.all([...running.values()].map((entry) => entry.done));
      const timeout = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([all, timeout]);
      for (const entry of running.values()) entry.controller.abort(new Error('worker stopping'));
      await flushCompletions();
      clearInterval(heartbeatTimer);
    },
  };
}
