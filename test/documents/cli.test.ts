import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/shared/actor.js';
import { cliDataFolder } from '../support/cli.js';

const { dataDir, tidings, migrate, withApp } = cliDataFolder('documents');

beforeAll(async () => {
  await migrate();
  // A folder made the way the web app makes one, through the same service.
  await withApp((app) => app.services.documentFolders.create(systemActor('test'), { name: 'Scans', parentId: null }));
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
