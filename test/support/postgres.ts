import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database .ci/run created for this run; every test database is made beside it. */
export function baseDatabaseUrl(): URL {
  const url = process.env.TIDINGS_TEST_DATABASE_URL;
  if (!url)
    throw new Error('TIDINGS_TEST_DATABASE_URL is not set: the PostgreSQL tier needs a database to start from.');
  return new URL(url);
}

export const databaseUrl = (name: string) => {
  const url = baseDatabaseUrl();
  url.pathname = `/${name}`;
  return url.toString();
};

export async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseDatabaseUrl().toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export const templateDatabaseName = () => `${baseDatabaseUrl().pathname.slice(1)}_template`;

/** A fresh database copied from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${baseDatabaseUrl().pathname.slice(1)}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${templateDatabaseName()}"`);
        return;
      } catch (error) {
        // Two files cloning the template at the same moment: the second waits and tries again.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    url: databaseUrl(name),
    drop: () =>
      withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
}
