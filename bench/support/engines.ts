import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openStorage, pgliteSettings, type Storage } from '../../src/db/database.js';
import { tempDir } from './app.js';
import { createBenchDatabase } from './postgres.js';
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
export async function openPgliteEngine(prefix: string): Promise<Engine> {
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
export async function openPostgresEngine(rawConnections = 1): Promise<Engine> {
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
