import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openStorage, PgliteDump, pgliteSettings, type Storage } from '../../src/db/database.js';
import { testEngine } from './engine.js';
import { createTestDatabase } from './postgres.js';

export type TestStorage = Storage & { url?: string };

/** A migrated database of this run's engine, private to the caller; close() also discards it. */
export async function openTestStorage(): Promise<TestStorage> {
  if (testEngine() === 'postgres') {
    const database = await createTestDatabase();
    const storage = await openStorage({ databaseUrl: database.url, poolSize: 8 });
    return {
      ...storage,
      url: database.url,
      close: async () => {
        await storage.close();
        await database.drop();
      },
    };
  }
  const pglite = await PGlite.create({ loadDataDir: migratedDump(), ...pgliteSettings });
  return openStorage({ pglite });
}

let template: { file: string; dump: PgliteDump } | undefined;

/** This run's migrated database, read once per test worker: a worker keeps its modules from one test file to the next. */
export function migratedDump(): PgliteDump {
  const file = inject('pgliteTemplate');
  if (template?.file !== file) template = { file, dump: new PgliteDump(fs.readFileSync(file)) };
  return template.dump;
}
