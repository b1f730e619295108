import { createHash, randomBytes } from 'node:crypto';
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

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-documents-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const tidings = (...args: string[]) => runTidings(args, env);

beforeAll(async () => {
  await restoreMigratedDatabase(dataDir);
  // A folder made the way the web app makes one, through the same service.
  const app = await buildApp(
    { ...loadConfig({ TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' }), logLevel: 'silent' },
    { logger: pino({ level: 'silent' }) },
  );
  await app.services.documentFolders.create(systemActor('test'), { name: 'Scans', parentId: null });
  await app.close();
}, 90_000);

describe('tidings documents', () => {
  it('uploads a file into a folder named by its name, reports duplicates, and lists it', async () => {
    const bytes = randomBytes(5_000);
    const file = path.join(dataDir, 'scan-0042.pdf');
    fs.writeFileSync(file, bytes);
    const uploaded = await tidings('documents', 'upload', file, '--folder', 'Scans');
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toMatch(/Uploaded [0-9a-f-]{36} "scan-0042.pdf" 1\.0/);
    expect(uploaded.stdout).toContain(createHash('sha256').update(bytes).digest('hex'));

    const again = await tidings('documents', 'upload', file, '--folder', 'Scans', '--title', 'Second copy');
    expect(again.stdout).toMatch(/Same content as [0-9a-f-]{36} "scan-0042.pdf"/);

    const listed = await tidings('documents', 'list', '--folder', 'Scans');
    expect(listed.stdout).toMatch(/1\.0 .* Second copy\n.*1\.0 .* scan-0042\.pdf/);

    const unknown = await tidings('documents', 'upload', file, '--folder', 'Nowhere');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No folder named Nowhere');
  }, 180_000);
});
