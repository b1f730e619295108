import pg from 'pg';
import { onCleanup } from './cleanup.js';

/** The maintenance database of the local server; override with BENCH_POSTGRES_URL. */
export const postgresAdminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = { name: string; url: string; drop(): Promise<void> };

export class PostgresUnavailable extends Error {}

let counter = 0;

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates a fresh, empty database for this bench run and registers its removal, so it is dropped
 * even when the bench fails or is interrupted. Throws PostgresUnavailable when the server cannot be reached.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `tidings_bench_${process.pid}_${counter++}`;
  try {
    await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new PostgresUnavailable(`${new URL(postgresAdminUrl).host}: ${reason}`);
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const drop = onCleanup(async () => {
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return { name, url: url.toString(), drop };
}
