/**
 * Runs autocannon in its own process, so the load generator does not share the event loop (or
 * core) of the server under test. Input: one JSON argument (LoadOptions). Output: a line
 * `target <index>` whenever the load moves to another target, then one JSON line (LoadRuns).
 */
import autocannon, { type Options, type Result } from 'autocannon';
import { summarize } from './stats.js';
import type { LoadOptions, LoadResult, LoadRuns, LoadTarget } from './load.js';

const run = (options: Options, onResponse: (statusCode: number, responseTime: number) => void) =>
  new Promise<Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => onResponse(statusCode, responseTime));
  });

const input = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const optionsFor = (target: LoadTarget, duration: number): Options => ({
  url: target.url,
  headers: target.headers,
  connections: input.connections,
  timeout: 10,
  duration,
});
const announce = (index: number) => process.stdout.write(`target ${index}\n`);

async function measure(target: LoadTarget): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await run(optionsFor(target, input.durationS), (statusCode, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  return {
    durationS: result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    requestsPerSecond: result['2xx'] / result.duration,
    latencyMs: summarize(latencies),
    responses: latencies.length,
  };
}

const output: LoadRuns = { warmupResponses: [], rounds: [] };
for (const [index, target] of input.targets.entries()) {
  announce(index);
  let responses = 0;
  if (input.warmupS > 0) await run(optionsFor(target, input.warmupS), () => responses++);
  output.warmupResponses.push(responses);
}
for (let round = 0; round < input.rounds; round++) {
  const results: LoadResult[] = [];
  for (const [index, target] of input.targets.entries()) {
    announce(index);
    results.push(await measure(target));
  }
  output.rounds.push(results);
}
announce(-1);
process.stdout.write(`${JSON.stringify(output)}\n`);
