import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp, type App, type AppOverrides } from '../../src/app.js';
import type { Role } from '../../src/auth/roles.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createHttpServer } from '../../src/http/server.js';
import { systemActor } from '../../src/shared/actor.js';
import { TestClient } from './client.js';
import { openTestStorage, type TestStorage } from './storage.js';

export const TEST_PASSWORD = 'correct-horse-battery';

/**
 * The API tier hashes and checks ~860 passwords (each user made, each sign-in): at the product's
 * cost, ~45 ms of a core each, ~40 s of the tier. The hashes stay scrypt's and record their cost.
 */
const TEST_PASSWORD_COST = { N: 256, r: 8, p: 1 };

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * A whole Tidings (services and HTTP surface) on a private database of this run's engine, with a
 * private data folder. Workers are not started unless the test starts them. Jobs hold the product's
 * lease (30 s): on a loaded machine a 2 s one can run out under a job still running, and the job is
 * claimed a second time. Tests of leases set their own.
 */
export async function startTestApp(
  options: Omit<AppOverrides, 'storage'> & { config?: Partial<Config>; storage?: TestStorage } = {},
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-test-'));
  const storage: TestStorage = options.storage ?? (await openTestStorage());
  const config: Config = {
    ...loadConfig({ TIDINGS_DATA_DIR: dataDir }),
    logLevel: 'silent',
    workers: 4,
    ...options.config,
  };
  const app: App = await buildApp(config, {
    logger: pino({ level: 'silent' }),
    passwordCost: TEST_PASSWORD_COST,
    ...options,
    storage,
  });
  const server = await createHttpServer(app);
  await server.ready();
  let counter = 0;

  return {
    app,
    server,
    storage,
    dataDir,
    client: () => new TestClient(server),

    /** Creates a staff user through the service (audited like any other) and returns it. */
    async createUser(roles: Role[], email = `user${++counter}-${Date.now()}@example.test`) {
      return app.services.users.create(systemActor('test'), {
        email,
        name: `Test ${roles.join(' ')}`,
        password: TEST_PASSWORD,
        roles,
      });
    },

    /** A client signed in as a new user with these roles. */
    async signedIn(roles: Role[]) {
      const user = await this.createUser(roles);
      return Object.assign(await new TestClient(server).signIn(user.email, TEST_PASSWORD), { user });
    },

    async close() {
      await server.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
