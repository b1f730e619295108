import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Summary } from './stats.js';

export type LoadTarget = { url: string; headers?: Record<string, string> };

export type LoadOptions = {
  targets: LoadTarget[];
  connections: number;
  /** Each target's share of one round. */
  durationS: number;
  /** Rounds through every target in turn, so that a busy moment on the machine falls on all of them alike. */
  rounds: number;
  /** A run of the same shape per target first, not measured (JIT, caches, connection set-up). */
  warmupS: number;
};

export type LoadResult = {
  durationS: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** 2xx responses per second. */
  requestsPerSecond: number;
  latencyMs: Summary;
  /** Every response, 2xx or not. */
  responses: number;
};

export type LoadRuns = {
  /** Responses of each target's warm-up. */
  warmupResponses: number[];
  /** One result per round and target: `rounds[round][target]`. */
  rounds: LoadResult[][];
};

const childScript = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/**
 * Drives HTTP load with autocannon from a child process, target after target, round after round.
 * `onTarget` hears which target the load moves to (-1 at the end), so that the caller can tell
 * which target caused what it sees in its own process (SQL statements, CPU).
 */
export function runLoad(options: LoadOptions, onTarget?: (index: number) => void): Promise<LoadRuns> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let result: LoadRuns | undefined;
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      const target = /^target (-?\d+)$/.exec(line);
      if (target) onTarget?.(Number(target[1]));
      else if (line.startsWith('{')) result = JSON.parse(line) as LoadRuns;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      onTarget?.(-1);
      if (code !== 0 || !result) reject(new Error(`load generator exited with ${code}: ${stderr.trim().slice(-2000)}`));
      else resolve(result);
    });
  });
}
