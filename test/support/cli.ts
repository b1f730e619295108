import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);

/**
 * The `tidings` command's file for `node <file> <args>`: the tree as it is now, compiled once for
 * this test run by the global setup. It serves no web app (the build sits away from web/dist).
 */
export const tidingsCli = (): string => inject('tidingsCli');

export type CommandResult = { code: number; stdout: string; stderr: string };

/** Runs `tidings <args>` to its end in `env`; a failing exit code is answered, not thrown. */
export async function runTidings(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { maxBuffer?: number } = {},
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tidingsCli(), ...args], { env, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CommandResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
