import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomerBody } from '../../src/customers/customers.schemas.js';
import { uploadFields } from '../../src/documents/documents.schemas.js';
import { systemActor } from '../../src/shared/actor.js';
import { cliDataFolder } from '../support/cli.js';

const { dataDir, tidings, migrate, withApp } = cliDataFolder('records');

const contract = Buffer.from('%PDF-1.4\n% the Kessler contract\n');
let customerId: string;
let documentId: string;

beforeAll(async () => {
  await migrate();
  await withApp(async (app) => {
    const actor = systemActor('test');
    const customer = await app.services.customers.create(
      actor,
      createCustomerBody.parse({
        kind: 'person',
        givenName: 'Karl',
        familyName: 'Kessler',
        emails: ['karl@cli.example'],
      }),
    );
    customerId = customer.id;
    const folder = await app.services.documentFolders.create(actor, { name: 'Contracts', parentId: null });
    const uploaded = await app.services.documents.upload(
      actor,
      uploadFields.parse({ folderId: folder.id, title: 'Kessler contract', customerId }),
      { stream: Readable.from([contract]), filename: 'kessler.pdf', mediaType: 'application/pdf' },
    );
    documentId = uploaded.id;
  });
}, 90_000);

async function entries(zip: string) {
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) =>
    yauzl.open(zip, { lazyEntries: true }, (opened, archive) => {
      if (opened) return reject(opened);
      archive.readEntry();
      archive.on('entry', (entry: yauzl.Entry) =>
        archive.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        }),
      );
      archive.on('end', resolve);
      archive.on('error', reject);
    }),
  );
  return files;
}

describe('tidings holds', () => {
  it('places a hold, lists it, exports the matter to a ZIP file and releases it with a reason', async () => {
    const placed = await tidings('holds', 'place', 'Kessler dispute', '--scope', `customer:${customerId}`);
    expect(placed.stderr).toBe('');
    expect(placed.code).toBe(0);
    expect(placed.stdout).toMatch(/^Placed hold ([0-9a-f-]{36}) for "Kessler dispute": 1 customers, 1 documents/);
    const holdId = /hold ([0-9a-f-]{36})/.exec(placed.stdout)![1]!;

    const listed = await tidings('holds', 'list', '--status', 'active');
    expect(listed.stdout).toContain(`${holdId}  active`);

    const zip = path.join(dataDir, 'kessler.zip');
    const exported = await tidings('holds', 'export', holdId, '--out', zip);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Wrote ${zip}: 1 items`);
    expect(exported.stderr).toMatch(/Exporting .* 1\/1 items/);
    const files = await entries(zip);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    const content = manifest.entries.find((entry: { role: string }) => entry.role === 'content');
    expect(content).toMatchObject({ itemId: documentId, sha256: createHash('sha256').update(contract).digest('hex') });
    expect(files.get(content.path)!.equals(contract)).toBe(true);

    const badScope = await tidings('holds', 'place', 'Broken', '--scope', 'person:123');
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toContain('--scope person:123');

    const released = await tidings('holds', 'release', holdId, '--reason', 'Settled out of court');
    expect(released.stdout).toContain('Released hold');
    const shown = await tidings('holds', 'show', holdId);
    expect(shown.stdout).toContain('Settled out of court');
  }, 120_000);
});
