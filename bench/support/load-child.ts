/**
 * Runs autocannon in its own process, so the load generator does not share the event loop (or
 * core) of the server under test. Input: one JSON argument (LoadOptions); output: one JSON line (LoadResult).
 */
import autocannon, { type Options, type Result } from 'autocannon';
import { summarize } from './stats.js';
import type { LoadOptions, LoadResult } from './load.js';

const run = (options: Options, onResponse?: (statusCode: number, responseTime: number) => void) =>
  new Promise<Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse)
      instance.on('response', (_client, statusCode, _bytes, responseTime) => onResponse(statusCode, responseTime));
  });

const input = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const base: Options = { url: input.url, headers: input.headers, connections: input.connections, timeout: 10 };

if (input.warmupS > 0) await run({ ...base, duration: input.warmupS });

const latencies: number[] = [];
const statuses: Record<string, number> = {};
const result = await run({ ...base, duration: input.durationS }, (statusCode, responseTime) => {
  latencies.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});

const output: LoadResult = {
  durationS: result.duration,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statuses,
  requestsPerSecond: result['2xx'] / result.duration,
  latencyMs: summarize(latencies),
};
process.stdout.write(`${JSON.stringify(output)}\n`);
