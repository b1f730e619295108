import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Storage } from '../../src/db/database.js';
import { createHttpServer } from '../../src/http/server.js';
import { onCleanup } from './cleanup.js';

/** A temporary folder removed at the end of the run (or on interruption). */
export async function tempDir(prefix = 'tidings-bench-') {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const remove = onCleanup(() => fs.rm(dir, { recursive: true, force: true }));
  return { dir, remove };
}

export type BenchApp = { app: App; close(): Promise<void> };

/**
 * The real Tidings composition root, quiet, in a temporary data folder. Without `storage` it opens
 * PGlite in that folder (about 4 s of initdb); pass `storage` to reuse an open database.
 */
export async function startApp(
  options: { workers?: number } & Pick<AppOverrides, 'storage' | 'jobDefinitions' | 'workerPollMs'> = {},
): Promise<BenchApp> {
  const { dir, remove } = await tempDir();
  const base = loadConfig({ TIDINGS_DATA_DIR: dir });
  const config = { ...base, logLevel: 'silent', workers: options.workers ?? base.workers };
  try {
    const app = await buildApp(config, {
      storage: options.storage,
      jobDefinitions: options.jobDefinitions,
      workerPollMs: options.workerPollMs,
    });
    return {
      app,
      async close() {
        try {
          await app.close();
        } finally {
          await remove();
        }
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** A storage whose close() does nothing, so that several apps in turn can share one open database. */
export const sharedStorage = (storage: Storage): Storage => ({ ...storage, close: async () => {} });

/** The real HTTP server over an app, listening on a free local port. */
export async function startHttp(app: App): Promise<{ server: FastifyInstance; baseUrl: string }> {
  const server = await createHttpServer(app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return { server, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** An admin user and an API token acting as them; returns the token's secret. */
export async function createAdminToken(app: App): Promise<string> {
  const admin = await app.services.users.create(
    { kind: 'system', label: 'bench' },
    { email: 'bench@x.test', name: 'Bench', password: 'bench-password-1', roles: ['admin'] },
  );
  const token = await app.services.tokens.create(
    { kind: 'user', userId: admin.id, email: admin.email, roles: admin.roles, via: 'cli' },
    { name: 'bench', scope: 'full' },
  );
  return token.secret;
}
