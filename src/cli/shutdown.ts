import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';

/** Past the grace, this long more for giving jobs back and closing the database before giving up. */
const CLOSE_ALLOWANCE_MS = 10_000;

/** Stops taking requests; those in flight may finish within the grace, then their connections are cut. */
async function closeWithin(server: FastifyInstance, graceMs: number) {
  const cut = setTimeout(() => server.server.closeAllConnections(), graceMs);
  try {
    await server.close();
  } finally {
    clearTimeout(cut);
  }
}

/**
 * On SIGTERM or SIGINT: take no new requests (answered 503 meanwhile) and no new jobs, let the
 * running ones finish within TIDINGS_SHUTDOWN_GRACE_SECONDS, give the unfinished jobs back to the
 * queue at once, close the database and exit 0.
 */
export function stopOnSignal(app: App, server?: FastifyInstance) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = app.config.shutdownGraceMs;
    app.logger.info({ signal, graceMs }, 'shutting down');
    setTimeout(() => {
      app.logger.error('shutting down took too long; exiting without closing');
      process.exit(1);
    }, graceMs + CLOSE_ALLOWANCE_MS).unref();
    await Promise.all([server && closeWithin(server, graceMs), app.worker.stop(graceMs)]);
    await app.close();
    app.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
