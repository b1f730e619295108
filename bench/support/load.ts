import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Summary } from './stats.js';

export type LoadOptions = {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  /** A run of the same shape first, not measured (JIT, caches, connection set-up). */
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
};

const childScript = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** Drives HTTP load with autocannon from a child process and returns its figures. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop();
      if (code !== 0 || !line) {
        reject(new Error(`load generator exited with ${code}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}
