import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { bundleServer } from '../../scripts/server-bundle.js';
import { openStorage, pgliteSettings } from '../../src/db/database.js';
import { databaseUrl, templateDatabaseName, withAdminClient } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    tidingsCli: string;
    /** A folder of this run's own, removed at its end (the demo data folder is made in it: data-folder.ts). */
    runFolder: string;
  }
}

/**
 * Bundles the server once per run, as `npm run build:server` does, into a folder of its own under
 * .tidings-test/ (inside the tree, so the packages left out of the bundle resolve). Tests that run the
 * `tidings` command start this build, as an installed `tidings` runs dist/. With `webApp`, the build
 * serves the tree's web/dist as a build in dist/ does (the server finds it at ../web/dist from its
 * own folder). Returns the command's file and a cleanup.
 */
export async function buildCli({ webApp = false } = {}) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  fs.mkdirSync(path.join(root, '.tidings-test'), { recursive: true });
  const folder = fs.mkdtempSync(path.join(root, '.tidings-test', 'cli-'));
  if (webApp) fs.symlinkSync(path.join(root, 'web'), path.join(folder, 'web'));
  const cli = await bundleServer(path.join(folder, 'dist'));
  return { cli, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Migrates one database per run and lets every test file clone it: a PGlite data dump (a fresh
 * PGlite costs ~4 s of initdb, a clone ~0.6 s), or a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
  const cli = await buildCli();
  project.provide('tidingsCli', cli.cli);
  const runFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-test-run-'));
  project.provide('runFolder', runFolder);
  if (project.name === 'postgres') {
    const name = templateDatabaseName();
    await withAdminClient(async (client) => {
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.query(`create database "${name}"`);
    });
    const storage = await openStorage({ databaseUrl: databaseUrl(name), poolSize: 2 });
    await storage.migrate();
    await storage.close();
    project.provide('pgliteTemplate', '');
    return async () => {
      cli.remove();
      fs.rmSync(runFolder, { recursive: true, force: true });
      await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`));
    };
  }
  const pglite = await PGlite.create({ ...pgliteSettings });
  const storage = await openStorage({ pglite });
  await storage.migrate();
  const dump = await pglite.dumpDataDir('none');
  await storage.close();
  const file = path.join(runFolder, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => {
    cli.remove();
    fs.rmSync(runFolder, { recursive: true, force: true });
  };
}
