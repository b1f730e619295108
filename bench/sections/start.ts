import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/app.js';
import { createBenchDatabase, PostgresUnavailable } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { elapsedMs, now, ratio, summarize } from '../support/stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts of each variant on each engine, taken in turn (bundled, sources, bundled, …); the median counts. */
const RUNS = 3;
/** How long the server sits idle after it answers before its memory is read. */
const IDLE_MS = 5_000;
const HEALTHY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/** The goals, printed beside the figures. */
const GOALS = { healthyMs: 5_000, rssMb: { pglite: 400, postgres: 200 } } as const;

type Variant = { label: string; args: string[] };
/** What `npm start` runs once it has built, and the same server from the sources as `npm run tidings` runs it. */
const bundled: Variant = { label: 'bundled', args: ['dist/tidings.js', 'start', '--demo'] };
const sources: Variant = { label: 'sources under tsx', args: ['bin/tidings.js', 'start', '--demo'] };

type EngineSetup = { key: 'pglite' | 'postgres'; label: string; env: Record<string, string> };
type Sample = { healthyMs: number; cpuS: number; rssMb: number; peakMb: number };

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A field of /proc/<pid>/status in MB (the kernel gives kB); 0 once the process is gone. */
function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The process and every process under it (tsx runs an esbuild service beside node). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces; the parent id follows the state after it.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    tree.push(current);
    pending.push(...(children.get(current) ?? []));
  }
  return tree;
}

/** What the server costs the machine in memory: the resident set of its whole process tree. */
const treeRssMb = (pid: number) => processTree(pid).reduce((total, each) => total + procStatusMb(each, 'VmRSS'), 0);

/** Linux counts CPU time in clock ticks of 1/100 s. */
const TICKS_PER_S = 100;

/** CPU seconds the process tree has used so far: unlike wall time, hardly moved by other work on the machine. */
function treeCpuS(pid: number): number {
  let ticks = 0;
  for (const each of processTree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${each}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, the 14th and 15th fields of the line, counted from the state (the 3rd).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks / TICKS_PER_S;
}

type Running = { child: ChildProcess; healthyMs: number; cpuS: number; output: () => string };

/** Starts the server and waits until GET /healthz answers 200; the time counts from the spawn. */
async function startServer(variant: Variant, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const started = now();
  const child = spawn(process.execPath, variant.args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = { child, healthyMs: 0, cpuS: 0, output: () => output };
  while (elapsedMs(started) < HEALTHY_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${variant.label} exited before it was healthy:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { ...running, healthyMs: elapsedMs(started), cpuS: treeCpuS(child.pid!) };
    await sleep(25);
  }
  await stopServer(running);
  throw new Error(`${variant.label} was not healthy within ${HEALTHY_TIMEOUT_MS / 1000} s:\n${output}`);
}

async function stopServer({ child, output }: Pick<Running, 'child' | 'output'>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the server did not stop cleanly (exit code ${code}):\n${output()}`);
}

async function measureOnce(variant: Variant, env: Record<string, string>): Promise<Sample> {
  const running = await startServer(variant, env);
  try {
    await sleep(IDLE_MS);
    const pid = running.child.pid!;
    return {
      healthyMs: running.healthyMs,
      cpuS: running.cpuS,
      rssMb: treeRssMb(pid),
      peakMb: procStatusMb(pid, 'VmHWM'),
    };
  } finally {
    await stopServer(running);
  }
}

const median = (samples: Sample[], pick: (sample: Sample) => number) => summarize(samples.map(pick)).p50;

async function benchEngine(context: SectionContext, engine: EngineSetup) {
  // The first start creates the database, applies the migrations and loads the demo data; what is
  // measured is every start after it, as an operator restarts a server.
  context.log(`start: ${engine.label}: first start (creates the database and loads the demo data)`);
  await stopServer(await startServer(bundled, engine.env));

  const samples = new Map<Variant, Sample[]>([
    [bundled, []],
    [sources, []],
  ]);
  for (let run = 0; run < RUNS; run++) {
    for (const variant of [bundled, sources]) {
      const sample = await measureOnce(variant, engine.env);
      context.log(
        `start: ${engine.label}, ${variant.label}: healthy in ${sample.healthyMs.toFixed(0)} ms (CPU ${sample.cpuS.toFixed(2)} s), idle RSS ${sample.rssMb.toFixed(0)} MB (peak ${sample.peakMb.toFixed(0)} MB)`,
      );
      samples.get(variant)!.push(sample);
    }
  }

  const subject = samples.get(bundled)!;
  const baseline = samples.get(sources)!;
  const healthy = median(subject, (sample) => sample.healthyMs);
  const healthyBefore = median(baseline, (sample) => sample.healthyMs);
  context.record({
    name: `${engine.label}: time to healthy, bundled (npm start)`,
    value: healthy,
    unit: 'ms',
    baseline: { name: sources.label, value: healthyBefore, unit: 'ms' },
    ratio: ratio(healthy, healthyBefore),
    details: {
      goal: `≤${GOALS.healthyMs} ms`,
      'CPU until healthy': `${median(subject, (sample) => sample.cpuS).toFixed(2)} s (tsx ${median(baseline, (sample) => sample.cpuS).toFixed(2)} s)`,
      runs: RUNS,
    },
  });
  const rss = median(subject, (sample) => sample.rssMb);
  const rssBefore = median(baseline, (sample) => sample.rssMb);
  context.record({
    name: `${engine.label}: idle RSS, bundled (npm start)`,
    value: rss,
    unit: 'MB',
    baseline: { name: sources.label, value: rssBefore, unit: 'MB' },
    ratio: ratio(rss, rssBefore),
    details: {
      goal: `≤${GOALS.rssMb[engine.key]} MB`,
      'peak while starting': `${median(subject, (sample) => sample.peakMb).toFixed(0)} MB (tsx ${median(baseline, (sample) => sample.peakMb).toFixed(0)} MB)`,
      runs: RUNS,
    },
  });
}

export const startSection: Section = {
  name: 'start',
  title: '`tidings start` on an existing database: time to healthy and idle memory, bundled against tsx',
  async run(context) {
    if (process.platform !== 'linux') {
      context.note('start: skipped: memory is read from /proc, which only Linux has.');
      return;
    }
    context.log('start: npm run build:server');
    const build = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`npm run build:server failed (exit code ${build.status})`);

    const { dir, remove } = await tempDir('tidings-bench-start-');
    try {
      await benchEngine(context, { key: 'pglite', label: 'PGlite', env: { DATABASE_URL: '', TIDINGS_DATA_DIR: dir } });
    } finally {
      await remove();
    }

    let database;
    try {
      database = await createBenchDatabase();
    } catch (error) {
      if (!(error instanceof PostgresUnavailable)) throw error;
      context.note(`start: PostgreSQL figures skipped: server not reachable (${error.message}).`);
    }
    if (database) {
      const { dir: blobs, remove: removeBlobs } = await tempDir('tidings-bench-start-');
      try {
        await benchEngine(context, {
          key: 'postgres',
          label: 'PostgreSQL',
          env: { DATABASE_URL: database.url, TIDINGS_DATA_DIR: blobs },
        });
      } finally {
        await removeBlobs();
        await database.drop();
      }
    }
    context.note(
      `start: each server started ${RUNS} times per variant in turn on a database a first start had created and filled with the demo data (--demo, as npm start runs it); ` +
        `time to healthy from the spawn until GET /healthz answers 200, and the CPU time the server's processes used until then (less moved by a busy machine than wall time); idle RSS of the server and every process under it (tsx's esbuild service included) ${IDLE_MS / 1000} s after it answered; ` +
        `peak = the server process's own high-water mark (VmHWM). Medians.`,
    );
  },
};
