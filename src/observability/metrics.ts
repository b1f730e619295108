import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** One registry per app instance, so several apps in one process (tests) keep separate counts. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tidings_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'tidings_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: 'tidings_jobs_finished_total',
      help: 'Job attempts finished in this process, by kind and outcome.',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    jobsWaiting: new Gauge({
      name: 'tidings_jobs',
      help: 'Jobs in the queue by status (all processes).',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
  };
}
