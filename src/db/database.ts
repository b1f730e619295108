import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export type Engine = 'pglite' | 'postgres';

export type Storage = {
  db: Database;
  engine: Engine;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export const pgliteExtensions = { pg_trgm };

/** Migrations are serialized across processes by this advisory lock key ("tidings"). */
const MIGRATION_LOCK = 0x7469_6469;

export type StorageOptions = { databaseUrl: string; poolSize?: number } | { dataDir: string } | { pglite: PGlite };

export async function openStorage(options: StorageOptions): Promise<Storage> {
  if ('databaseUrl' in options) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  const client =
    'pglite' in options
      ? options.pglite
      : await PGlite.create({ dataDir: ensureDir(options.dataDir), extensions: pgliteExtensions });
  const db = drizzlePglite(guardAgainstSelfDeadlock(client), { schema }) as unknown as Database;
  return {
    db,
    engine: 'pglite',
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

const insideTransaction = new AsyncLocalStorage<boolean>();

/**
 * PGlite is one session: a query on the database from inside a transaction waits for that very
 * transaction and never returns. This makes such a query fail at once, naming the mistake (use the
 * transaction, or read before it starts), instead of hanging the process.
 */
function guardAgainstSelfDeadlock(client: PGlite): PGlite {
  const refuse = () => {
    throw new Error(
      'A query used the database while this code holds a transaction on it (PGlite would wait forever): run it on the transaction, or before the transaction starts.',
    );
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'transaction') {
        return (callback: (tx: unknown) => Promise<unknown>) =>
          target.transaction((tx) => insideTransaction.run(true, () => callback(tx)));
      }
      if (property === 'query' || property === 'exec') {
        return (...args: unknown[]) => {
          if (insideTransaction.getStore()) refuse();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openPostgres(databaseUrl: string, poolSize: number): Storage {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePostgres(pool, { schema }) as unknown as Database;
  return {
    db,
    engine: 'postgres',
    migrate: async () => {
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePostgres(db as never, { migrationsFolder });
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        lock.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

function ensureDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function rows<T = Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Whether a write failed on a unique constraint (PostgreSQL code 23505), on either driver. */
export function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
  return cause?.code === '23505';
}

/** Whether a path segment names a row by id (a UUID) rather than by key. */
export const isUuid = (value: string) => /^[0-9a-f-]{36}$/i.test(value);
