import type { ClaimedJob } from './job-queue.js';

/**
 * Jobs are claimed ahead of free slots, about as many as this worker finishes in this time, so that
 * fast jobs do not pay a claim statement each while slow ones are not hoarded away from other
 * processes (a worker whose jobs take seconds claims no more than it has slots for).
 */
const AHEAD_MS = 200;
const MAX_AHEAD = 1000;

type ClaimAheadOptions = {
  concurrency: number;
  /** Claims in flight at once: each asks for its share of the target. */
  claimsAtOnce: number;
  /** How many jobs of this one's kind a free slot takes at once. */
  batchSizeOf: (job: ClaimedJob) => number;
};

/**
 * A worker's jobs claimed but not started, oldest due first, and how many more to claim: enough for
 * the free slots and for what the worker finishes in AHEAD_MS, at the rate it has been finishing them.
 */
export class ClaimAhead {
  /** Claimed and not started; their leases are renewed like running ones'. */
  readonly #waiting: ClaimedJob[] = [];
  // Rows asked for by claims in flight: counted as held, so that two claims do not ask for the same room.
  #requested = 0;
  // Jobs a free slot takes at once: a full batch while the claims bring kinds with runMany, else one.
  // (Room for a batch in every slot, whatever the queue holds, would hoard slow jobs of other kinds.)
  #slotRoom = 1;
  // Jobs finished per millisecond, smoothed: how far ahead to claim.
  #rate = 0;
  #finishedCount = 0;
  #sampledAt = performance.now();
  #sampledCount = 0;

  readonly #options: ClaimAheadOptions;

  constructor(options: ClaimAheadOptions) {
    this.#options = options;
  }

  get waiting(): readonly ClaimedJob[] {
    return this.#waiting;
  }

  jobFinished() {
    this.#finishedCount++;
  }

  /** When the jobs held fall to half the target: claims of half each (on PostgreSQL two at once) keep it filled. */
  wantsClaim(busySlots: number) {
    const target = this.#target(busySlots);
    return this.#held() < target && this.#held() <= target / 2;
  }

  /**
   * Claims up to the room left (the rows asked for count as held until the claim returns) and keeps
   * what came back waiting. `limit` is 0 when there was no room and nothing was asked for.
   */
  async claim(busySlots: number, claimJobs: (limit: number) => Promise<ClaimedJob[]>) {
    this.#sampleRate();
    const target = this.#target(busySlots);
    const limit = Math.min(target - this.#held(), Math.ceil(target / this.#options.claimsAtOnce));
    if (limit <= 0) return { limit: 0, claimed: [] };
    this.#requested += limit;
    let claimed: ClaimedJob[];
    try {
      claimed = await claimJobs(limit);
    } finally {
      this.#requested -= limit;
    }
    if (claimed.length > 0) this.#slotRoom = Math.max(...claimed.map(this.#options.batchSizeOf));
    this.#waiting.push(...claimed);
    return { limit, claimed };
  }

  /**
   * The next jobs for a free slot: the oldest waiting job and as many of its kind as a slot takes, or nothing
   * when that job's lease ran out unrenewed (the database was away): another worker may have it by now.
   */
  next(now: Date): ClaimedJob[] | undefined {
    const first = this.#waiting.shift();
    if (!first || (first.lockedUntil && first.lockedUntil <= now)) return undefined;
    const batch = [first];
    const most = this.#options.batchSizeOf(first);
    for (let index = 0; index < this.#waiting.length && batch.length < most;) {
      if (this.#waiting[index]!.kind === first.kind) batch.push(...this.#waiting.splice(index, 1));
      else index++;
    }
    return batch;
  }

  /** After a heartbeat: the leases renewed run to `until`, the jobs whose leases were lost are dropped. */
  renewed(renewed: ReadonlySet<number>, lost: ReadonlySet<number>, until: Date) {
    for (const job of this.#waiting) if (renewed.has(job.id)) job.lockedUntil = until;
    if (lost.size === 0) return;
    const kept = this.#waiting.filter((job) => !lost.has(job.id));
    this.#waiting.splice(0, this.#waiting.length, ...kept);
  }

  /** Every waiting job, taken out: the worker is stopping and gives them back. */
  takeAll(): ClaimedJob[] {
    return this.#waiting.splice(0);
  }

  /** How many jobs to keep waiting beyond the free slots: what this worker finishes in AHEAD_MS. */
  #ahead() {
    return Math.min(MAX_AHEAD, Math.round(this.#rate * AHEAD_MS));
  }

  /** Jobs to hold unstarted: enough for the free slots, and the jobs ahead. */
  #target(busySlots: number) {
    return (this.#options.concurrency - busySlots) * this.#slotRoom + this.#ahead();
  }

  /** What is waiting or asked for by claims in flight. */
  #held() {
    return this.#waiting.length + this.#requested;
  }

  #sampleRate() {
    const at = performance.now();
    const elapsed = at - this.#sampledAt;
    if (elapsed < 1) return;
    const sample = (this.#finishedCount - this.#sampledCount) / elapsed;
    this.#rate = this.#rate * 0.5 + sample * 0.5;
    this.#sampledAt = at;
    this.#sampledCount = this.#finishedCount;
  }
}
