import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/database.js';
import { ClaimAhead } from './claim-ahead.js';
import { DEFAULT_BATCH_SIZE, type BatchJob, type JobDefinition } from './job-handlers.js';
import type { ClaimedJob, DeadLetterHook, JobQueue } from './job-queue.js';
import { createJobOutcomes } from './job-outcomes.js';
import { createQueueUpkeep } from './queue-upkeep.js';

export type WorkerOptions = {
  queue: JobQueue;
  definitions: JobDefinition[];
  /** How many handler calls run at once: one job each, or one batch of a kind with runMany. */
  concurrency: number;
  leaseMs: number;
  pollMs?: number;
  /** Succeeded and cancelled jobs are deleted this long after they finished (by the queue's clock). */
  retentionMs?: number;
  logger: Logger;
  onFinished?: (kind: string, outcome: 'succeeded' | 'failed') => void;
};

export type Worker = {
  id: string;
  start(): void;
  /**
   * Takes no more jobs, gives back at once the ones it claimed ahead but had not started, lets the
   * running ones finish for up to `graceMs`, then gives the rest back to the queue at once (another
   * process need not wait for their leases to run out).
   */
  stop(graceMs?: number): Promise<void>;
  /**
   * Runs every job that is due now (by the queue's clock), and what those jobs enqueue for now, until
   * none is left and all have finished: a job due later stays queued. Upkeep that is due (burying
   * abandoned jobs, pruning old finished ones) runs too. For a stopped worker (tests and tools), so
   * that "nothing was due" is a fact, not a guess about how long the loop takes to look.
   */
  drain(): Promise<void>;
};

export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

/** Claims in flight at once on PostgreSQL: the server works on both while this process runs what came back. */
const CLAIMS_AT_ONCE = 2;

/**
 * An abort signal made only when the handler asks for it: most jobs never do, and making one costs
 * a few microseconds, a fifth of what a no-op job costs the worker.
 */
class Cancellation {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

type Slot = { cancellation: Cancellation; done: Promise<void> };

/**
 * Runs jobs from the queue in this process, up to `concurrency` handler calls at a time. Claims
 * ahead of its free slots and holds the leases of what it claimed (running or waiting) with
 * heartbeats (`claim-ahead.ts`); marks finished jobs in batches, polls when idle and is woken at
 * once by enqueues. Between claims it does the queue's upkeep (`queue-upkeep.ts`: burying abandoned
 * last attempts, pruning old finished jobs, vacuuming on the embedded database). When the database
 * is out of reach it keeps the outcomes it could not record, polls until the database is back and
 * carries on.
 */
export function createWorker(options: WorkerOptions): Worker {
  const { queue, concurrency, leaseMs, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const handlers = new Map(options.definitions.map((definition) => [definition.kind, definition]));
  const kinds = [...handlers.keys()];
  const batchSizeOf = (definition: JobDefinition) =>
    definition.runMany ? (definition.batchSize ?? DEFAULT_BATCH_SIZE) : 1;
  const claimsAtOnce = queue.embedded ? 1 : CLAIMS_AT_ONCE;
  const deadHooks = new Map<string, DeadLetterHook>();
  for (const definition of options.definitions) {
    const { onDead } = definition;
    if (!onDead) continue;
    deadHooks.set(definition.kind, async (job, lastError, executor) => {
      // A payload the schema refuses went to the dead letters for that very reason: nothing typed to hand on.
      const parsed = definition.payload.safeParse(job.payload);
      if (parsed.success) await onDead(parsed.data, lastError, executor);
    });
  }

  const slots = new Set<Slot>();
  const running = new Map<number, Slot>();
  let stopped = true;
  let closing = false;
  let wakeRequested = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let unreachableSince: number | undefined;
  const claiming = new Set<Promise<void>>();
  // Whether more may be due (the last claim came back full, or an enqueue was heard since it started):
  // only then does a finished job or a returning claim wake the loop to claim again.
  let moreDue = true;
  let enqueues = 0;
  const ahead = new ClaimAhead({
    concurrency,
    claimsAtOnce,
    batchSizeOf: (job) => batchSizeOf(handlers.get(job.kind)!),
  });
  const upkeep = createQueueUpkeep({ queue, leaseMs, retentionMs, deadHooks, trouble });
  const outcomes = createJobOutcomes({ queue, workerId: id, deadHooks, trouble, stored: reachable });

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
    // Outcomes kept back are stored first, before their leases run out and another worker runs them again.
    void outcomes.flush();
  }

  function requestWake() {
    wakeRequested = true;
    wake?.();
  }

  function finished(job: ClaimedJob, outcome: 'succeeded' | 'failed') {
    ahead.jobFinished();
    upkeep.jobFinished();
    options.onFinished?.(job.kind, outcome);
  }

  function succeed(job: ClaimedJob) {
    outcomes.succeeded(job);
    finished(job, 'succeeded');
  }

  function fail(job: ClaimedJob, error: unknown) {
    if (isDatabaseUnavailable(error)) trouble(error, 'job failed');
    else logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: error }, 'job failed');
    outcomes.failed(job, error);
    finished(job, 'failed');
  }

  async function runOne(job: ClaimedJob, definition: JobDefinition, cancellation: Cancellation) {
    try {
      const payload = definition.payload.parse(job.payload);
      await definition.run!(payload, {
        job,
        get signal() {
          return cancellation.signal;
        },
        reportProgress: (progress) => queue.reportProgress(id, job.id, progress),
      });
      succeed(job);
    } catch (error) {
      fail(job, error);
    }
  }

  async function runBatch(batch: ClaimedJob[], definition: JobDefinition, cancellation: Cancellation) {
    const valid: BatchJob<unknown>[] = [];
    for (const job of batch) {
      const parsed = definition.payload.safeParse(job.payload);
      if (parsed.success) valid.push({ job, payload: parsed.data });
      else fail(job, parsed.error);
    }
    if (valid.length === 0) return;
    let failures: Map<number, unknown>;
    try {
      failures = await definition.runMany!(valid, { signal: cancellation.signal });
    } catch (error) {
      for (const { job } of valid) fail(job, error);
      return;
    }
    for (const { job } of valid) {
      if (failures.has(job.id)) fail(job, failures.get(job.id));
      else succeed(job);
    }
  }

  function start(batch: ClaimedJob[], definition: JobDefinition) {
    const cancellation = new Cancellation();
    const slot: Slot = { cancellation, done: Promise.resolve() };
    const work = definition.runMany
      ? runBatch(batch, definition, cancellation)
      : runOne(batch[0]!, definition, cancellation);
    slot.done = work.finally(() => {
      slots.delete(slot);
      for (const job of batch) running.delete(job.id);
      dispatch();
      if (moreDue && wantsClaim()) requestWake();
    });
    slots.add(slot);
    for (const job of batch) running.set(job.id, slot);
  }

  /** Starts waiting jobs in the free slots: a kind with runMany takes up to its batch size of its own. */
  function dispatch() {
    if (closing || ahead.waiting.length === 0) return;
    const now = queue.now();
    while (slots.size < concurrency && ahead.waiting.length > 0) {
      const batch = ahead.next(now);
      if (batch) start(batch, handlers.get(batch[0]!.kind)!);
    }
  }

  const wantsClaim = () => !closing && ahead.wantsClaim(slots.size);

  async function claim(): Promise<number> {
    const enqueuesBefore = enqueues;
    const { limit, claimed } = await ahead.claim(slots.size, (rows) => queue.claim(id, kinds, rows, leaseMs));
    if (limit === 0) return 0;
    reachable();
    // An enqueue heard while this claim was on its way may have come too late for it.
    moreDue = claimed.length === limit || enqueues !== enqueuesBefore;
    dispatch();
    return claimed.length;
  }

  /** A claim beside the loop, so that the next one can start before this one returns. */
  function claimAlongside() {
    const claimed: Promise<void> = claim()
      .then(
        () => {},
        (error) => {
          moreDue = false;
          trouble(error, 'claiming jobs failed');
        },
      )
      .finally(() => {
        claiming.delete(claimed);
        // A short or failed claim waits for a wake or a poll: claiming again at once would find nothing.
        if (moreDue && unreachableSince === undefined) requestWake();
      });
    claiming.add(claimed);
  }

  async function run() {
    while (!stopped) {
      wakeRequested = false;
      try {
        // Outcomes an outage kept back go first, so their jobs are not claimed again meanwhile.
        if (unreachableSince !== undefined || outcomes.failuresWaiting) await outcomes.flush();
        await upkeep.run();
      } catch (error) {
        trouble(error, 'job worker poll failed');
      }
      // While the database is away, one claim at a time finds out when it is back.
      const most = unreachableSince === undefined ? claimsAtOnce : 1;
      while (claiming.size < most && wantsClaim()) claimAlongside();
      await new Promise<void>((resolve) => {
        // While the database is away, finished jobs do not hurry the next try: it waits a full poll.
        const outage = () => unreachableSince !== undefined && !stopped;
        // A wake that came meanwhile goes on after one turn of the event loop: on the embedded
        // database statements answer without one, and timers (heartbeats, flushes) must not starve.
        if (wakeRequested && !outage()) return void setImmediate(resolve);
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          if (outage()) return;
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    await Promise.all(claiming);
  }

  /** Work was enqueued here, or the database told of it (or of a reconnect): either way it answers again. */
  function enqueued() {
    enqueues++;
    moreDue = true;
    reachable();
    requestWake();
  }

  /** Renews the leases of every job this worker holds: running, waiting, or finished with the outcome not yet stored. */
  async function heartbeat() {
    const ids = [...running.keys(), ...ahead.waiting.map((job) => job.id), ...outcomes.waitingIds()];
    if (ids.length === 0) return;
    const renewedUntil = new Date(queue.now().getTime() + leaseMs);
    try {
      const renewed = await queue.heartbeat(id, ids, leaseMs);
      reachable();
      const lost = new Set(ids.filter((jobId) => !renewed.has(jobId)));
      ahead.renewed(renewed, lost, renewedUntil);
      for (const jobId of lost) running.get(jobId)?.cancellation.abort(new Error('lease lost'));
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
        await outcomes.flush();
        await upkeep.run();
        const busyBeforeClaim = slots.size > 0;
        const claimed = wantsClaim() ? await claim() : 0;
        if (claimed > 0 && slots.size < concurrency) continue;
        if (slots.size > 0) {
          await Promise.race([...slots].map((slot) => slot.done));
          continue;
        }
        // Nothing claimed and nothing running. A job that finished while the claim was on its way may
        // have enqueued work after the claim looked: only a claim made with every slot idle settles it.
        if (!busyBeforeClaim) break;
      }
      await outcomes.flush();
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
      moreDue = true;
      unsubscribe = queue.onEnqueue(enqueued);
      heartbeatTimer = setInterval(heartbeat, Math.max(50, leaseMs / 3));
      loop = run();
    },
    async stop(graceMs = 10_000) {
      if (stopped) return;
      stopped = true;
      closing = true;
      const unsubscribed = unsubscribe?.();
      wake?.();
      await loop;
      // Claimed ahead but never started: claimable elsewhere at once, the attempt not counted.
      const unstarted = ahead.takeAll().map((job) => job.id);
      if (unstarted.length > 0) {
        await queue
          .release(id, unstarted, { started: false })
          .catch((error) => trouble(error, 'giving back jobs claimed ahead failed; their leases will run out'));
      }
      const all = Promise.all([...slots].map((slot) => slot.done));
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs)))]);
      clearTimeout(graceTimer);
      const unfinished = [...running.keys()];
      for (const slot of slots) slot.cancellation.abort(new Error('worker stopping'));
      clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
      await outcomes.flush();
      if (unfinished.length > 0) {
        try {
          const released = await queue.release(id, unfinished);
          logger.info({ jobIds: unfinished, released }, 'gave back the jobs that did not finish before the stop');
        } catch (error) {
          trouble(error, 'giving back unfinished jobs failed; their leases will run out');
        }
      }
      closing = false;
      await unsubscribed;
    },
  };
}
