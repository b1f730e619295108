import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/shared/actor.js';
import { runTidings } from '../support/cli.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';
import { textPdf } from './generated-files.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-search-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const tidings = (...args: string[]) => runTidings(args, env);
const config = { ...loadConfig({ TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' }), logLevel: 'silent' as const };

beforeAll(async () => {
  await restoreMigratedDatabase(dataDir);
  const app = await buildApp(config, { logger: pino({ level: 'silent' }) });
  await app.services.documentFolders.create(systemActor('test'), { name: 'Offers', parentId: null });
  await app.close();
}, 90_000);

describe('tidings search', () => {
  it('finds an uploaded document by a word of its text, the word marked in the snippet', async () => {
    const file = path.join(dataDir, 'offer.pdf');
    fs.writeFileSync(file, await textPdf(['Our offer for the flamingo enclosure stands until May.']));
    expect((await tidings('documents', 'upload', file, '--folder', 'Offers', '--title', 'Zoo offer')).code).toBe(0);
    // The text is read by a job, as a server's worker would run it.
    const app = await buildApp(config, { logger: pino({ level: 'silent' }) });
    await app.worker.drain();
    await app.close();

    const found = await tidings('search', 'flamingo');
    expect(found.stderr).toBe('');
    expect(found.stdout).toMatch(/^1 found\ndocument +[0-9a-f-]{36} {2}Zoo offer {2}\(Offers, \d{4}-\d\d-\d\d\)\n/);
    expect(found.stdout).toContain('the [flamingo] enclosure');

    const none = await tidings('search', 'flamingo', '--kind', 'communication');
    expect(none.stdout).toMatch(/^0 found/);
    const bad = await tidings('search', 'flamingo', '--from', 'yesterday');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('from');
  }, 180_000);
});
