import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openStorage, pgliteExtensions, type Storage } from '../../src/db/database.js';
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
  const dump = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  const pglite = await PGlite.create({ loadDataDir: dump, extensions: pgliteExtensions });
  return openStorage({ pglite });
}
