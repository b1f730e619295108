import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/shared/actor.js';
import { cliDataFolder } from '../support/cli.js';
import { textPdf } from './generated-files.js';

const { dataDir, tidings, migrate, withApp } = cliDataFolder('search');

beforeAll(async () => {
  await migrate();
  await withApp((app) => app.services.documentFolders.create(systemActor('test'), { name: 'Offers', parentId: null }));
}, 90_000);

describe('tidings search', () => {
  it('finds an uploaded document by a word of its text, the word marked in the snippet', async () => {
    const file = path.join(dataDir, 'offer.pdf');
    fs.writeFileSync(file, await textPdf(['Our offer for the flamingo enclosure stands until May.']));
    expect((await tidings('documents', 'upload', file, '--folder', 'Offers', '--title', 'Zoo offer')).code).toBe(0);
    // The text is read by a job, as a server's worker would run it.
    await withApp((app) => app.worker.drain());

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
