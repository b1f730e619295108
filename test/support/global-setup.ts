import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openStorage, pgliteExtensions } from '../../src/db/database.js';
import { databaseUrl, templateDatabaseName, withAdminClient } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Migrates one database per run and lets every test file clone it: a PGlite data dump (a fresh
 * PGlite costs ~4 s of initdb, a clone ~0.6 s), or a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
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
      await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`));
    };
  }
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  const storage = await openStorage({ pglite });
  await storage.migrate();
  const dump = await pglite.dumpDataDir('none');
  await storage.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-template-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
