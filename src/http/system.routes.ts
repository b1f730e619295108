import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Storage } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Metrics } from '../observability/metrics.js';

/** A database that takes longer than this to answer `select 1` is as good as gone for a load balancer. */
const READINESS_TIMEOUT_MS = 3_000;

export const systemRoutes: FastifyPluginAsyncZod<{
  storage: Pick<Storage, 'ping' | 'engine'>;
  metrics: Metrics;
  queue: Pick<JobQueue, 'countsByStatus'>;
}> = async (app, { storage, metrics, queue }) => {
  const hidden = { hide: true } as const;

  app.get('/healthz', { config: { public: true }, schema: hidden }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        ...hidden,
        response: {
          200: z.object({ status: z.literal('ready'), database: z.string() }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const unanswered = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`it did not answer within ${READINESS_TIMEOUT_MS / 1000} s`)),
          READINESS_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([storage.ping(), unanswered]);
        return { status: 'ready' as const, database: storage.engine };
      } catch (error) {
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({
            status: 'unavailable' as const,
            reason: `The database (${storage.engine}) is unreachable: ${(error as Error).message}`,
          });
      } finally {
        clearTimeout(timer);
      }
    },
  );

  app.get('/metrics', { config: { public: true }, schema: hidden }, async (_request, reply) => {
    const counts = await queue.countsByStatus();
    for (const [status, count] of Object.entries(counts)) metrics.jobsWaiting.set({ status }, count);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
