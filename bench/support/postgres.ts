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

/** Plain SQL on the bench database, beside the app: the baselines and EXPLAIN. */
export type Raw = { query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]> };

/**
 * Runs a section's work on a fresh PostgreSQL database with a small pool for raw SQL, and drops the
 * database afterwards. Without a reachable server the section notes why it was skipped.
 */
export async function withBenchPostgres(
  context: { note(text: string): void },
  section: string,
  work: (database: { url: string; raw: Raw }) => Promise<void>,
): Promise<void> {
  let database: BenchDatabase;
  try {
    database = await createBenchDatabase();
  } catch (error) {
    if (!(error instanceof PostgresUnavailable)) throw error;
    context.note(`${section}: skipped: PostgreSQL not reachable (${error.message}).`);
    return;
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => {});
  const raw: Raw = {
    query: async <T>(text: string, values?: unknown[]) => (await pool.query(text, values)).rows as T[],
  };
  try {
    await work({ url: database.url, raw });
  } finally {
    await pool.end().catch(() => {});
    await database.drop();
  }
}
