import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openStorage, pgliteSettings, type Storage } from '../../src/db/database.js';
import { tempDir } from './app.js';
import { createBenchDatabase, PostgresUnavailable } from './postgres.js';
import type { SectionContext } from './report.js';
import { countPglite, countPostgres } from './sql-counter.js';

/** A database a section measures on: Tidings's storage over it, migrated, its statements counted. */
export type Engine = {
  key: 'pglite' | 'postgres';
  label: string;
  storage: Storage;
  /** The server's address; none for the embedded database. */
  url?: string;
  /** Plain SQL on the engine's own driver, outside Drizzle. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

/** PGlite in a temporary folder named by `prefix`, removed on close. */
async function openPgliteEngine(prefix: string): Promise<Engine> {
  const { dir, remove } = await tempDir(prefix);
  const client = await PGlite.create({ dataDir: dir, ...pgliteSettings });
  countPglite(client);
  const storage = await openStorage({ pglite: client });
  await storage.migrate();
  return {
    key: 'pglite',
    label: 'PGlite',
    storage,
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
    async close() {
      try {
        await storage.close();
      } finally {
        await remove();
      }
    },
  };
}

/** A fresh database on the local PostgreSQL server, dropped on close; `rawConnections` serve `query`. */
async function openPostgresEngine(rawConnections = 1): Promise<Engine> {
  const database = await createBenchDatabase();
  try {
    countPostgres();
    const storage = await openStorage({ databaseUrl: database.url });
    await storage.migrate();
    const pool = new pg.Pool({ connectionString: database.url, max: rawConnections });
    pool.on('error', () => {});
    return {
      key: 'postgres',
      label: 'PostgreSQL',
      storage,
      url: database.url,
      query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
      async close() {
        try {
          await pool.end();
          await storage.close();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * Runs `measure` on each engine `engines` names (both by default), each opened for it and closed
 * after: PGlite first, then PostgreSQL, skipped with a note when its server cannot be reached.
 */
export async function onEachEngine(
  context: SectionContext,
  section: string,
  options: { engines?: string[]; rawConnections?: number },
  measure: (engine: Engine) => Promise<void>,
) {
  const wanted = options.engines ?? ['pglite', 'postgres'];
  const measured = async (engine: Engine) => {
    try {
      await measure(engine);
    } finally {
      await engine.close();
    }
  };
  if (wanted.includes('pglite')) {
    context.log(`${section}: opening PGlite (initdb takes a few seconds)`);
    await measured(await openPgliteEngine(`tidings-bench-${section}-`));
  }
  if (!wanted.includes('postgres')) return;
  let postgres: Engine;
  try {
    postgres = await openPostgresEngine(options.rawConnections);
  } catch (error) {
    if (!(error instanceof PostgresUnavailable)) throw error;
    context.note(`${section}: PostgreSQL figures skipped: server not reachable (${error.message}).`);
    return;
  }
  await measured(postgres);
}
