import Fastify from 'fastify';
import { createAdminToken, startApp, startHttp } from '../support/app.js';
import { runLoad, type LoadOptions, type LoadResult } from '../support/load.js';
import type { Section, SectionContext } from '../support/report.js';
import { ratio } from '../support/stats.js';

/** Same settings for the baseline and every Tidings route. */
const CONNECTIONS = 10;
const DURATION_S = 5;
const WARMUP_S = 1;

const bareBody = {
  user: { id: '00000000-0000-4000-8000-000000000000', email: 'bench@x.test', name: 'Bench', roles: ['admin'] },
  csrfToken: null,
};

const latencyDetails = (result: LoadResult) => ({
  p50: `${result.latencyMs.p50.toFixed(2)} ms`,
  p95: `${result.latencyMs.p95.toFixed(2)} ms`,
  p99: `${result.latencyMs.p99.toFixed(2)} ms`,
  ...(result.non2xx + result.errors + result.timeouts > 0
    ? { 'non-2xx': result.non2xx, errors: result.errors, timeouts: result.timeouts }
    : {}),
});

async function measure(
  context: SectionContext,
  label: string,
  options: Omit<LoadOptions, 'connections' | 'durationS' | 'warmupS'>,
) {
  context.log(`api: ${label}: ${WARMUP_S} s warm-up + ${DURATION_S} s × ${CONNECTIONS} connections`);
  const result = await runLoad({ ...options, connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S });
  if (result.ok === 0) throw new Error(`${label}: no 2xx response (statuses ${JSON.stringify(result.statuses)})`);
  if (result.non2xx + result.errors + result.timeouts > 0) {
    context.note(
      `api: ${label} had ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts (statuses ${JSON.stringify(result.statuses)}).`,
    );
  }
  return result;
}

export const apiSection: Section = {
  name: 'api',
  title: 'HTTP API: authenticated reads of the real server against a bare Fastify route',
  async run(context) {
    // Both servers live in this process and are up at the same time, so they run under the same
    // conditions (heap, PGlite loaded); autocannon runs in a child process on the other core.
    context.log('api: building Tidings on PGlite (initdb takes a few seconds)');
    const tidings = await startApp();
    const bare = Fastify({ logger: false });
    try {
      const { server, baseUrl } = await startHttp(tidings.app);
      try {
        const token = await createAdminToken(tidings.app);
        const headers = { authorization: `Bearer ${token}` };

        bare.get('/bare', async () => bareBody);
        await bare.listen({ port: 0, host: '127.0.0.1' });
        const address = bare.server.address();
        if (!address || typeof address === 'string') throw new Error('bare server has no TCP address');
        const bareUrl = `http://127.0.0.1:${address.port}/bare`;

        // A wrong token or route would benchmark error responses: check each target once first.
        for (const [url, requestHeaders] of [
          [bareUrl, {}],
          [`${baseUrl}/api/me`, headers],
          [`${baseUrl}/api/users`, headers],
        ] as const) {
          const response = await fetch(url, { headers: requestHeaders });
          if (response.status !== 200)
            throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer().catch(() => undefined);
        }

        const baseline = await measure(context, 'bare Fastify GET /bare', { url: bareUrl });
        context.record({
          name: 'bare Fastify GET (baseline)',
          value: baseline.requestsPerSecond,
          unit: 'req/s',
          details: latencyDetails(baseline),
        });

        for (const route of ['/api/me', '/api/users']) {
          const result = await measure(context, `Tidings GET ${route}`, { url: `${baseUrl}${route}`, headers });
          context.record({
            name: `GET ${route} throughput`,
            value: result.requestsPerSecond,
            unit: 'req/s',
            baseline: { name: 'bare', value: baseline.requestsPerSecond, unit: 'req/s' },
            ratio: ratio(result.requestsPerSecond, baseline.requestsPerSecond),
            details: latencyDetails(result),
          });
          context.record({
            name: `GET ${route} p99 latency`,
            value: result.latencyMs.p99,
            unit: 'ms',
            baseline: { name: 'bare', value: baseline.latencyMs.p99, unit: 'ms' },
            ratio: ratio(result.latencyMs.p99, baseline.latencyMs.p99),
          });
        }
        context.note(
          `api: autocannon in a child process, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per target; ` +
            'Tidings on PGlite in-process, Bearer API token; throughput ratio = Tidings/bare (higher is better), latency ratio = Tidings/bare (lower is better).',
        );
      } finally {
        await server.close();
      }
    } finally {
      await bare.close();
      await tidings.close();
    }
  },
};
