import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, inject } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { restoreMigratedDatabase } from './data-folder.js';
import { shortLivedFlags } from './short-lived.js';

const run = promisify(execFile);

/**
 * The `tidings` command's file for `node <file> <args>`: the tree as it is now, bundled once for
 * this test run by the global setup. It serves no web app (the build sits away from web/dist).
 */
export const tidingsCli = (): string => inject('tidingsCli');

/** Node's arguments for `tidings <args>`: this run's build, with the flags of a short-lived process. */
export const tidingsArgs = (...args: string[]): string[] => [...shortLivedFlags, tidingsCli(), ...args];

export type CommandResult = { code: number; stdout: string; stderr: string };

/** Runs `tidings <args>` to its end in `env`; a failing exit code is answered, not thrown. */
export async function runTidings(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { maxBuffer?: number } = {},
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, tidingsArgs(...args), {
      env,
      ...options,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CommandResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * A data folder of a test file's own for its `tidings` runs, removed after the file. `migrate`
 * makes it a migrated database; `withApp` opens the app on it in this process, between two
 * commands (the embedded database has one process at a time), to prepare data through the
 * services or to run the jobs a server's worker would.
 */
export function cliDataFolder(name: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tidings-cli-${name}-`));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  return {
    dataDir,
    env,
    tidings: (...args: string[]) => runTidings(args, env),
    migrate: () => restoreMigratedDatabase(dataDir),
    async withApp<T>(use: (app: App) => Promise<T>): Promise<T> {
      const app = await buildApp(
        { ...loadConfig({ TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' }), logLevel: 'silent' },
        { logger: pino({ level: 'silent' }) },
      );
      try {
        return await use(app);
      } finally {
        await app.close();
      }
    },
  };
}
