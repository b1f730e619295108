import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createAdminToken, sharedStorage, startHttp, tempDir } from '../support/app.js';
import { onEachEngine, type Engine } from '../support/engines.js';
import { runLoad, type LoadResult, type LoadTarget } from '../support/load.js';
import type { Section, SectionContext } from '../support/report.js';
import { statementCounter } from '../support/sql-counter.js';
import { ratio } from '../support/stats.js';

/** Same settings for the baseline and every Tidings route (the goal: ≥50 % of bare, p99 ≤20 ms at 50). */
const CONNECTIONS = 50;
const ROUND_S = 2;
const ROUNDS = 5;
const WARMUP_S = 1;
const ROUTES = ['/api/me', '/api/users'] as const;

const bareBody = {
  user: { id: '00000000-0000-4000-8000-000000000000', email: 'bench@x.test', name: 'Bench', roles: ['admin'] },
  csrfToken: null,
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** What one target did over the rounds: medians, so that one disturbed round does not decide. */
function summary(results: LoadResult[]) {
  return {
    requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    p50: median(results.map((result) => result.latencyMs.p50)),
    p99: median(results.map((result) => result.latencyMs.p99)),
    failed: results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0),
    statuses: results.flatMap((result) => Object.keys(result.statuses)),
  };
}

/**
 * Tidings as it runs by default (LOG_LEVEL=info, its request logs written as `buildApp`'s default
 * logger writes them: pino's asynchronous destination, here /dev/null instead of stdout), over HTTP
 * with a Bearer API token, against the bare route loaded in turn with it.
 */
async function benchEngine(context: SectionContext, engine: Engine, bareUrl: string) {
  const { dir, remove } = await tempDir();
  const config = loadConfig({ TIDINGS_DATA_DIR: dir });
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: '/dev/null', sync: false }));
  const app = await buildApp(config, { storage: sharedStorage(engine.storage), logger });
  let server: FastifyInstance | undefined;
  try {
    const http = await startHttp(app);
    server = http.server;
    const headers = { authorization: `Bearer ${await createAdminToken(app)}` };

    const targets: LoadTarget[] = [
      { url: bareUrl },
      ...ROUTES.map((route) => ({ url: `${http.baseUrl}${route}`, headers })),
    ];
    // A wrong token or route would benchmark error responses: check each target once first.
    for (const { url, headers: requestHeaders } of targets) {
      const response = await fetch(url, { headers: requestHeaders });
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer().catch(() => undefined);
    }

    // SQL statements are counted for the target the load is on: the child says when it moves on.
    const statements = targets.map(() => 0);
    let current = -1;
    statementCounter.reset();
    statementCounter.enabled = true;
    context.log(
      `api: ${engine.label}: bare, ${ROUTES.join(', ')} in turn: ${WARMUP_S} s warm-up each, then ${ROUNDS} rounds of ${ROUND_S} s × ${CONNECTIONS} connections`,
    );
    const runs = await runLoad(
      { targets, connections: CONNECTIONS, durationS: ROUND_S, rounds: ROUNDS, warmupS: WARMUP_S },
      (index) => {
        if (current >= 0) statements[current]! += statementCounter.statements;
        statementCounter.reset();
        current = index;
      },
    ).finally(() => (statementCounter.enabled = false));
    const resultsOf = (index: number) => runs.rounds.map((round) => round[index]!);

    const bare = summary(resultsOf(0));
    context.record({
      name: `${engine.label}: bare Fastify GET (baseline)`,
      value: bare.requestsPerSecond,
      unit: 'req/s',
      details: { p50: ms(bare.p50), p99: ms(bare.p99) },
    });
    for (const [offset, route] of ROUTES.entries()) {
      const index = offset + 1;
      const results = resultsOf(index);
      const subject = summary(results);
      const ratios = results.map(
        (result, round) => result.requestsPerSecond / runs.rounds[round]![0]!.requestsPerSecond,
      );
      const responses = runs.warmupResponses[index]! + results.reduce((sum, result) => sum + result.responses, 0);
      if (subject.failed > 0) {
        context.note(
          `api: ${engine.label} GET ${route} had ${subject.failed} failed requests (statuses ${[...new Set(subject.statuses)].join(', ')}).`,
        );
      }
      context.record({
        name: `${engine.label}: GET ${route} throughput`,
        value: subject.requestsPerSecond,
        unit: 'req/s',
        baseline: { name: 'bare', value: bare.requestsPerSecond, unit: 'req/s' },
        ratio: median(ratios),
        details: {
          p50: ms(subject.p50),
          p99: ms(subject.p99),
          'ratio per round': ratios.map((value) => value.toFixed(2)).join(' '),
          'SQL statements per request': (statements[index]! / Math.max(1, responses)).toFixed(3),
        },
      });
      context.record({
        name: `${engine.label}: GET ${route} p99 latency`,
        value: subject.p99,
        unit: 'ms',
        baseline: { name: 'bare', value: bare.p99, unit: 'ms' },
        ratio: ratio(subject.p99, bare.p99),
      });
    }
  } finally {
    await server?.close();
    await app.close();
    await remove();
  }
}

export const apiSection: Section = {
  name: 'api',
  title: 'HTTP API: authenticated reads on PostgreSQL and PGlite against a bare Fastify route',
  async run(context) {
    // Both servers live in this process and are up at the same time, so they run under the same
    // conditions (heap, the database driver loaded); autocannon runs in a child process on the other core.
    const bare = Fastify({ logger: false });
    bare.get('/bare', async () => bareBody);
    await bare.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = bare.server.address();
      if (!address || typeof address === 'string') throw new Error('bare server has no TCP address');
      const bareUrl = `http://127.0.0.1:${address.port}/bare`;

      await onEachEngine(context, 'api', {}, (engine) => benchEngine(context, engine, bareUrl));

      context.note(
        `api: autocannon in a child process, ${CONNECTIONS} connections; per engine the bare route and each Tidings route in turn, ` +
          `${ROUNDS} rounds of ${ROUND_S} s after a ${WARMUP_S} s warm-up each; figures are medians over the rounds, the throughput ratio ` +
          'the median of the per-round ratios Tidings/bare (higher is better, goal ≥0.5), latency ratio Tidings/bare (lower is better; goal p99 ≤20 ms). ' +
          'Tidings at LOG_LEVEL=info (logs to /dev/null), Bearer API token; SQL statements per request counted over warm-up and rounds.',
      );
    } finally {
      await bare.close();
    }
  },
};
