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
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import pg from 'pg';
import type { Logger } from 'pino';
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
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel` from any process, and without one
   * after each reconnect (what was sent while the connection was away is lost). `onListening` hears
   * when notifications can be heard (true) and when the connection is lost (false): a cache that must
   * not go stale is used only while listening. Resolves the returned stop when closed.
   * The embedded database belongs to one process, so there is nobody else to hear from: it is
   * listening at once.
   */
  listen(
    channel: string,
    onNotify: (payload?: string) => void,
    onListening?: (listening: boolean) => void,
  ): () => Promise<void>;
  close(): Promise<void>;
};

/** Where the storage layer reports a lost connection; none in tests that do not care. */
type StorageLogger = Pick<Logger, 'warn' | 'info'>;

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * How every embedded database is opened (the app's, a backup's, a test's, a bench's): with the extensions the
 * migrations use, and sized for one process. PostgreSQL's defaults size shared memory for a hundred
 * sessions and a buffer cache of 128 MB; the embedded database has one session in one process, and
 * these settings hold about 120 MB less RSS with the same answers. The operating system's page cache
 * still holds the data files.
 */
export const pgliteSettings = {
  extensions: { pg_trgm },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'],
};

/**
 * A dump of a data folder (`dumpDataDir`) as PGlite's `loadDataDir` takes it. PGlite reads it with
 * `arrayBuffer()`, and a Blob built from the bytes answers that on Node 20 by copying them again in
 * small chunks: a third of the CPU of opening a migrated database. This answers the bytes as they are
 * (PGlite reads nothing else of it), so one dump read into memory can be opened many times.
 */
export class PgliteDump extends Blob {
  private readonly buffer: ArrayBuffer;

  constructor(bytes: Uint8Array) {
    super([]);
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    this.buffer = (whole ? bytes : bytes.slice()).buffer as ArrayBuffer;
  }

  override get size() {
    return this.buffer.byteLength;
  }

  override arrayBuffer() {
    return Promise.resolve(this.buffer);
  }
}

/** Migrations are serialized across processes by this advisory lock key ("tidings"). */
const MIGRATION_LOCK = 0x7469_6469;

export type StorageOptions = { databaseUrl: string; poolSize?: number } | { dataDir: string } | { pglite: PGlite };

export async function openStorage(options: StorageOptions, logger?: StorageLogger): Promise<Storage> {
  if ('databaseUrl' in options) return openPostgres(options.databaseUrl, options.poolSize ?? 10, logger);
  const client =
    'pglite' in options
      ? options.pglite
      : await PGlite.create({ dataDir: ensureDir(options.dataDir), ...pgliteSettings });
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
    listen: (_channel, _onNotify, onListening) => {
      onListening?.(true);
      return async () => {};
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

function openPostgres(databaseUrl: string, poolSize: number, logger?: StorageLogger): Storage {
  // No JIT compilation (on by default since PostgreSQL 12): compiling the duplicates list's statement
  // at 1,000,000 customers took 1.75 s, and the statement ran 0.2–1 s faster without it. Options in
  // the URL win.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, keepAlive: true, options: '-c jit=off' });
  // A server restart, a failover or pg_terminate_backend ends connections. An idle one reports it
  // to the pool, one in use to its client: unheard, either 'error' event would end the process. The
  // statement that was running fails (a job retries it) and the pool opens a fresh connection.
  const lost = (error: Error) => logger?.warn({ err: error }, 'a database connection was lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
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
    listen: (channel, onNotify, onListening) => listenOn(databaseUrl, channel, onNotify, onListening, logger),
    close: () => pool.end(),
  };
}

const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * LISTEN needs a session of its own, outside the pool. When that session ends (restart, failover,
 * a terminated backend) it reconnects with exponential backoff and jitter, and LISTENs again.
 */
function listenOn(
  databaseUrl: string,
  channel: string,
  onNotify: (payload?: string) => void,
  onListening: ((listening: boolean) => void) | undefined,
  logger?: StorageLogger,
) {
  let stopped = false;
  let current: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  function reconnectLater(client: pg.Client, error?: Error) {
    if (stopped || current !== client) return;
    current = undefined;
    onListening?.(false);
    if (failures++ === 0) logger?.warn({ err: error, channel }, 'lost the listening database connection; reconnecting');
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(failures - 1, 6));
    timer = setTimeout(connect, Math.round(delay * (0.8 + Math.random() * 0.4)));
  }

  async function connect() {
    if (stopped) return;
    const client = new pg.Client({ connectionString: databaseUrl, keepAlive: true });
    current = client;
    client.on('error', (error) => reconnectLater(client, error));
    client.on('end', () => reconnectLater(client));
    client.on('notification', (message) => onNotify(message.payload));
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      reconnectLater(client, error as Error);
      await client.end().catch(() => {});
      return;
    }
    if (failures > 0) {
      logger?.info({ channel, attempts: failures }, 'listening again on the database');
      failures = 0;
      onNotify();
    }
    onListening?.(true);
  }

  void connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current?.end().catch(() => {});
  };
}

/** Error codes that mean the server is out of reach or going away, not that the statement was wrong. */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: a terminated backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);
const unavailableMessages =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/;

/**
 * Whether a failure means the database could not be reached (a lost or refused connection, a server
 * shutting down), so that the same work will succeed once it is back. Drivers and Drizzle wrap the
 * cause; the chain is followed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string' && (unavailableCodes.has(candidate.code) || candidate.code.startsWith('08')))
      return true;
    if (typeof candidate.message === 'string' && unavailableMessages.test(candidate.message)) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some(isDatabaseUnavailable)) return true;
    current = candidate.cause;
  }
  return false;
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

/**
 * Ids as one uuid[] parameter, for `= any(...)` and `unnest(...)`: one parameter however many ids,
 * where a list of parameters would need one each (and PostgreSQL takes at most 65,535).
 */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** PostgreSQL's error code for a failed statement, on either driver (Drizzle wraps the driver's error). */
const codeOf = (error: unknown) =>
  ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string }))?.code;

/** Whether a write failed on a unique constraint (PostgreSQL code 23505). */
export const isUniqueViolation = (error: unknown) => codeOf(error) === '23505';

/** Whether PostgreSQL stopped the transaction to break a deadlock (code 40P01). */
export const isDeadlock = (error: unknown) => codeOf(error) === '40P01';

/** Whether a path segment names a row by id (a UUID) rather than by key. */
export const isUuid = (value: string) => /^[0-9a-f-]{36}$/i.test(value);
