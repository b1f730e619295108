import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../support/free-port.js';

/** The newest installed PostgreSQL's programs (initdb, pg_ctl, pg_dump). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions
    .map((version) => path.join(root, version, 'bin'))
    .find((bin) => fs.existsSync(`${bin}/initdb`));
  if (found) return found;
  return execFileSync('pg_config', ['--bindir']).toString().trim();
}

export type PostgresServer = Awaited<ReturnType<typeof startPostgresServer>>;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary folder, a free port, trust auth,
 * its socket in that folder), so the test can stop, restart and cut it without touching the shared one.
 * PostgreSQL refuses to run as root: under root its programs run as the `postgres` user.
 */
export async function startPostgresServer() {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-pg-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (program: string, args: string[]) => {
    const command = asRoot
      ? ['runuser', '-u', 'postgres', '--', `${bin}/${program}`, ...args]
      : [`${bin}/${program}`, ...args];
    const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  const stop = () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  start();

  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  return {
    port,
    bin,
    urlOf,
    start,
    stop,
    async createDatabase(name: string) {
      await admin((client) => client.query(`create database "${name}"`));
      return urlOf(name);
    },
    /** What a failover or a pooler's cleanup does: every session of the database ends at once. */
    async terminateBackends(database: string): Promise<number> {
      const result = await admin((client) =>
        client.query<{ n: number }>(
          'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) t',
          [database],
        ),
      );
      return result.rows[0]!.n;
    },
    destroy() {
      spawnSync(asRoot ? 'runuser' : `${bin}/pg_ctl`, [
        ...(asRoot ? ['-u', 'postgres', '--', `${bin}/pg_ctl`] : []),
        ...['-D', dataDir, '-m', 'immediate', '-w', 'stop'],
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
