import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Counts the SQL statements sent while enabled, in this process, on either engine: a diagnostic
 * that explains a throughput figure (statements per job, jobs per claim). Drizzle sends every
 * statement through `PGlite#query` or `pg.Client#query` (the pool's clients), which are wrapped here.
 */
export type StatementCounter = {
  statements: number;
  /** Statements that claim with FOR UPDATE SKIP LOCKED. */
  claims: number;
  enabled: boolean;
  reset(): void;
};

export const statementCounter: StatementCounter = {
  statements: 0,
  claims: 0,
  enabled: false,
  reset() {
    this.statements = 0;
    this.claims = 0;
  },
};

function count(query: unknown) {
  if (!statementCounter.enabled) return;
  statementCounter.statements++;
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  if (typeof text === 'string' && /skip locked/i.test(text)) statementCounter.claims++;
}

/** Wraps one PGlite instance's `query` and `exec`. */
export function countPglite(client: PGlite) {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  client.query = ((text: string, ...rest: never[]) => {
    count(text);
    return query(text, ...rest);
  }) as typeof client.query;
  client.exec = ((text: string, ...rest: never[]) => {
    count(text);
    return exec(text, ...rest);
  }) as typeof client.exec;
}

let postgresWrapped = false;

/** Wraps `pg.Client.prototype.query` once for the whole process. */
export function countPostgres() {
  if (postgresWrapped) return;
  postgresWrapped = true;
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    count(args[0]);
    return original.apply(this, args);
  };
}
