import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildCli } from '../../support/global-setup.js';
import { startTidings } from './server.js';

/**
 * Once per run: compiles the `tidings` command (serving web/dist), and lets it make the demo data
 * folder with a first start (initdb, migrations, demo seed: ~20 s of CPU), stopped as an operator
 * stops it. Every test file's server then starts on a copy of that folder (~6 s of CPU instead).
 */
export default async function setup(project: TestProject) {
  const cli = await buildCli({ webApp: true });
  const demoData = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-browser-demo-'));
  const remove = () => {
    cli.remove();
    fs.rmSync(demoData, { recursive: true, force: true });
  };
  try {
    const first = await startTidings(cli.cli, demoData);
    // Killed, it could leave the database mid-write: every file would start on a recovered copy.
    const code = await first.stop();
    if (code !== 0) throw new Error(`The first start with the demo data stopped with ${code ?? 'a kill'}, not 0.`);
  } catch (error) {
    remove();
    throw error;
  }
  project.provide('tidingsWebCli', cli.cli);
  project.provide('demoDataFolder', demoData);
  return remove;
}
