import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { migrationsFolder, openStorage, rows } from '../../src/db/database.js';
import { testEngine } from '../support/engine.js';
import { openTestStorage, type TestStorage } from '../support/storage.js';

let storage: TestStorage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(() => storage.close());

describe(`storage on ${testEngine()}`, () => {
  it('is migrated, and migrating again changes nothing', async () => {
    const tables = async () =>
      (
        await rows<{ table_name: string }>(
          storage.db,
          sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
        )
      ).map((row) => row.table_name);
    const before = await tables();
    expect(before).toEqual(
      expect.arrayContaining(['users', 'sessions', 'api_tokens', 'teams', 'audit_events', 'jobs']),
    );
    await storage.migrate();
    expect(await tables()).toEqual(before);
  });

  it('has the search extensions the later domains rely on', async () => {
    const similarity = await rows(storage.db, sql`select similarity('Schmidt', 'Schmitt') > 0.3 as close`);
    expect(similarity[0]).toEqual({ close: true });
    const match = await rows(
      storage.db,
      sql`select to_tsvector('english', 'Tariff change notice') @@ websearch_to_tsquery('english', 'tariff notices') as hit`,
    );
    expect(match[0]).toEqual({ hit: true });
  });

  it('reports readiness', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it.runIf(testEngine() === 'postgres')('does not JIT-compile statements', async () => {
    expect(await rows(storage.db, sql`show jit`)).toEqual([{ jit: 'off' }]);
  });

  it.runIf(testEngine() === 'postgres')('lets several processes migrate at the same moment', async () => {
    const others = await Promise.all([1, 2, 3].map(() => openStorage({ databaseUrl: storage.url!, poolSize: 2 })));
    await Promise.all(others.map((other) => other.migrate()));
    await Promise.all(others.map((other) => other.close()));
    const applied = await rows(storage.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(applied[0]).toEqual({ n: journal.entries.length });
  });
});
