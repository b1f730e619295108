import type { Worker } from 'node:worker_threads';
import { startThread } from '../shared/threads.js';
import type { ChannelOutcome, RenderedItem, RenderFailure } from './channels.js';
import type { EmailEnvelope } from './mime.js';
import type { Brand, ChannelBodies, FragmentSources, RenderChannel, RenderContext } from './types.js';

/** One language of a template version. A cache key names sources that never change, so a thread keeps them compiled. */
export type TemplateSource = { cacheKey?: string; bodies: ChannelBodies; fragments: FragmentSources };

/** A preview renders every channel the template has; a delivery renders one channel as the exact bytes handed over. */
export type RenderTask =
  | { kind: 'preview'; template: TemplateSource; context: RenderContext; recipientName: string }
  | {
      kind: 'delivery';
      template: TemplateSource;
      context: RenderContext;
      recipientName: string;
      channel: RenderChannel;
      /** For email: the headers of the message built around the rendered parts. */
      envelope?: EmailEnvelope;
      /** For a letter or fax: the communication's reference code, printed as text and QR code. */
      reference?: string;
    };

type ResultOf<T extends RenderTask> = T extends { kind: 'preview' } ? ChannelOutcome[] : RenderedItem;

export type RenderOutcome<T extends RenderTask = RenderTask> =
  | { status: 'rendered'; result: ResultOf<T> }
  /** The template cannot be rendered for this item (a Liquid error, an unknown fragment…): its author can fix it. */
  | { status: 'failed'; error: RenderFailure }
  /** The render ran past its budget and its thread was stopped. */
  | { status: 'budget_exceeded'; budgetMs: number }
  /** Something unexpected: a bug, or a thread that died. */
  | { status: 'error'; message: string };

/**
 * 'each': every task has the whole budget, counted from when its thread starts it (a batch of deliveries);
 * 'all': the tasks share one budget (the renders of one preview request).
 */
export type BudgetScope = 'each' | 'all';

export type RenderPool = {
  readonly threads: number;
  readonly budgetMs: number;
  /** Threads working on a message now; as many as `threads` means renders wait. */
  readonly busy: number;
  /** Renders the tasks in order on one thread, sent as one message; answers one outcome per task. */
  render<T extends RenderTask>(tasks: T[], budget: BudgetScope): Promise<RenderOutcome<T>[]>;
  close(): Promise<void>;
};

// The wire format: templates and brands go once per message, and tasks point at them.
export type WireTask = Omit<RenderTask, 'template' | 'context'> & {
  index: number;
  template: number;
  context: Omit<RenderContext, 'brand'> & { brand: number };
};
export type WireBatch = { templates: TemplateSource[]; brands: Brand[]; tasks: WireTask[] };
export type WireRendered = ChannelOutcome[] | (Omit<RenderedItem, 'bytes'> & { bytes: Uint8Array });
export type WireOutcome =
  | { status: 'rendered'; result: WireRendered }
  | { status: 'failed'; error: RenderFailure }
  | { status: 'error'; message: string };
export type WorkerMessage = { type: 'ready' } | { type: 'outcome'; index: number; outcome: WireOutcome };

type Job = {
  tasks: RenderTask[];
  budget: BudgetScope;
  /** Indexes not yet answered, in the order the thread works through them. */
  pending: number[];
  outcomes: RenderOutcome[];
  resolve: (outcomes: RenderOutcome[]) => void;
};

type Thread = { worker: Worker; ready: boolean; job?: Job; timer?: NodeJS.Timeout };

const startWorker = () => startThread(import.meta.url, 'render-worker');

function encode(job: Job): WireBatch {
  const templates = new Map<TemplateSource, number>();
  const brands = new Map<Brand, number>();
  const idOf = <K>(map: Map<K, number>, key: K) => {
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = map.size));
    return id;
  };
  const tasks = job.pending.map((index): WireTask => {
    const { template, context, ...task } = job.tasks[index]!;
    return {
      ...task,
      index,
      template: idOf(templates, template),
      context: { ...context, brand: idOf(brands, context.brand) },
    };
  });
  return { templates: [...templates.keys()], brands: [...brands.keys()], tasks };
}

function decode(outcome: WireOutcome): RenderOutcome {
  if (outcome.status !== 'rendered' || Array.isArray(outcome.result)) return outcome as RenderOutcome;
  const { bytes, ...item } = outcome.result;
  return {
    status: 'rendered',
    result: { ...item, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
  };
}

/**
 * Threads that render templates, so that no template holds the thread serving HTTP and running
 * jobs. Each message carries a list of tasks; past its budget a thread is stopped and replaced, and
 * the task it was on (with 'all', every task left) answers 'budget_exceeded'. Threads start on first
 * use and keep their compiled templates while they live.
 */
export function createRenderPool(options: { threads: number; budgetMs: number }): RenderPool {
  const { threads: size, budgetMs } = options;
  const live = new Set<Thread>();
  const idle: Thread[] = [];
  const queue: Job[] = [];
  let closed = false;

  function settle(job: Job, index: number, outcome: RenderOutcome) {
    job.outcomes[index] = outcome;
    job.pending.splice(job.pending.indexOf(index), 1);
    if (job.pending.length === 0) job.resolve(job.outcomes);
  }

  function release(thread: Thread) {
    clearTimeout(thread.timer);
    thread.job = undefined;
    // An idle thread does not keep a CLI command from exiting.
    thread.worker.unref();
    idle.push(thread);
  }

  function start(thread: Thread, job: Job) {
    thread.job = job;
    thread.worker.ref();
    thread.worker.postMessage(encode(job));
    thread.timer = setTimeout(() => overrun(thread), budgetMs);
  }

  function dispatch() {
    while (queue.length > 0 && idle.length > 0) start(idle.pop()!, queue.shift()!);
    const starting = [...live].filter((thread) => !thread.ready).length;
    for (let n = Math.min(size - live.size, queue.length - starting); n > 0; n--) spawn();
  }

  function overrun(thread: Thread) {
    const job = thread.job!;
    live.delete(thread);
    void thread.worker.terminate();
    if (job.budget === 'all') {
      for (const index of [...job.pending]) settle(job, index, { status: 'budget_exceeded', budgetMs });
    } else {
      settle(job, job.pending[0]!, { status: 'budget_exceeded', budgetMs });
      if (job.pending.length > 0) queue.unshift(job);
    }
    // Replaced at once, so the next render does not wait for a thread to start.
    spawn();
    dispatch();
  }

  function lost(thread: Thread, message: string) {
    if (!live.delete(thread)) return;
    clearTimeout(thread.timer);
    if (idle.includes(thread)) idle.splice(idle.indexOf(thread), 1);
    if (thread.job)
      for (const index of [...thread.job.pending]) settle(thread.job, index, { status: 'error', message });
    // A thread that cannot even start would fail again: answer what waits instead of retrying forever.
    if (!thread.ready)
      for (const job of queue.splice(0))
        for (const index of [...job.pending]) settle(job, index, { status: 'error', message });
    if (!closed) dispatch();
  }

  function spawn() {
    const thread: Thread = { worker: startWorker(), ready: false };
    live.add(thread);
    thread.worker.on('message', (message: WorkerMessage) => {
      if (!live.has(thread)) return;
      if (message.type === 'ready') {
        thread.ready = true;
        release(thread);
        return dispatch();
      }
      const job = thread.job!;
      settle(job, message.index, decode(message.outcome));
      if (job.pending.length === 0) {
        release(thread);
        dispatch();
      } else if (job.budget === 'each') {
        clearTimeout(thread.timer);
        thread.timer = setTimeout(() => overrun(thread), budgetMs);
      }
    });
    thread.worker.on('error', (error) => lost(thread, `the rendering thread failed: ${error.message}`));
    thread.worker.on('exit', (code) => lost(thread, `the rendering thread stopped (exit code ${code})`));
  }

  return {
    threads: size,
    budgetMs,
    get busy() {
      return [...live].filter((thread) => thread.job).length;
    },
    render<T extends RenderTask>(tasks: T[], budget: BudgetScope): Promise<RenderOutcome<T>[]> {
      if (closed) return Promise.reject(new Error('the render pool is closed'));
      if (tasks.length === 0) return Promise.resolve([]);
      return new Promise((resolve) => {
        queue.push({
          tasks,
          budget,
          pending: tasks.map((_, index) => index),
          outcomes: [],
          resolve: resolve as Job['resolve'],
        });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const threads = [...live];
      for (const thread of threads) lost(thread, 'the render pool was closed');
      for (const job of queue.splice(0))
        for (const index of [...job.pending])
          settle(job, index, { status: 'error', message: 'the render pool was closed' });
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
