import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/shared/actor.js';
import { cliDataFolder } from '../support/cli.js';

const { dataDir, tidings, migrate, withApp } = cliDataFolder('types');

beforeAll(async () => {
  await migrate();
  await withApp((app) => app.services.documentFolders.create(systemActor('test'), { name: 'Leases', parentId: null }));
}, 90_000);

describe('tidings documents types', () => {
  it('defines a type from a file, lists it, and files a document of it with checked metadata', async () => {
    const definition = path.join(dataDir, 'lease.json');
    fs.writeFileSync(
      definition,
      JSON.stringify({
        name: 'Lease',
        fields: [
          { key: 'tenant', label: 'Tenant', kind: 'text', required: true },
          { key: 'end', label: 'End', kind: 'date' },
        ],
      }),
    );
    const defined = await tidings('documents', 'types', 'define', definition);
    expect(defined.stderr).toBe('');
    expect(defined.stdout).toMatch(/Defined [0-9a-f-]{36} "Lease" with 2 fields/);

    const listed = await tidings('documents', 'types', 'list');
    expect(listed.stdout).toContain('Lease  (0 documents)');
    expect(listed.stdout).toContain('tenant: text, required  Tenant');

    const file = path.join(dataDir, 'lease.pdf');
    fs.writeFileSync(file, randomBytes(2_000));
    const bad = await tidings(
      'documents',
      'upload',
      file,
      '--folder',
      'Leases',
      '--type',
      'Lease',
      '--meta',
      'end=soon',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('body.metadata.end');
    expect(bad.stderr).toContain('body.metadata.tenant');

    const good = await tidings(
      'documents',
      'upload',
      file,
      '--folder',
      'Leases',
      '--type',
      'Lease',
      '--meta',
      'tenant=Ada Lovelace',
      '--meta',
      'end=2030-01-31',
    );
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect((await tidings('documents', 'types', 'list')).stdout).toContain('Lease  (1 documents)');

    const inUse = await tidings('documents', 'types', 'remove', 'Lease');
    expect(inUse.code).not.toBe(0);
    expect(inUse.stderr).toContain('give them another type first');
  }, 180_000);
});
