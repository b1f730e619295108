import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobCorruptError, createFileBlobStore } from '../../src/blobs/blob-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-blobs-'));
const blobs = createFileBlobStore(root);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

describe('the blob store', () => {
  it('names a blob by the sha256 of its bytes and gives the same bytes back', async () => {
    const stored = await blobs.put('Dear customer, your tariff changes on 1 January.');
    expect(stored).toEqual({ sha256: sha256('Dear customer, your tariff changes on 1 January.'), size: 48 });
    expect((await blobs.read(stored.sha256)).toString()).toBe('Dear customer, your tariff changes on 1 January.');
  });

  it('streams a large blob in, without holding it whole', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const stored = await blobs.put(
      Readable.from(
        (function* () {
          for (let i = 0; i < 20; i++) yield chunk;
        })(),
      ),
    );
    expect(stored.size).toBe(20 * 1024 * 1024);
    expect(stored.sha256).toBe(sha256(Buffer.concat(Array(20).fill(chunk))));
  });

  it('keeps one copy of the same content and leaves no temporary files', async () => {
    const first = await blobs.put(Buffer.from('same'));
    const second = await blobs.put(Buffer.from('same'));
    expect(second.sha256).toBe(first.sha256);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('stores many blobs at once, answering in order, one copy of each content, no temporary files left', async () => {
    const contents = ['first letter', 'second letter', 'first letter'].map((text) => Buffer.from(text));
    const stored = await blobs.putMany(contents);
    expect(stored).toEqual(contents.map((bytes) => ({ sha256: sha256(bytes), size: bytes.length })));
    for (const [index, blob] of stored.entries())
      expect((await blobs.read(blob.sha256)).equals(contents[index]!)).toBe(true);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('makes a folder again that went away after it was first written to', async () => {
    const first = await blobs.put('written before');
    fs.rmSync(path.join(root, 'tmp'), { recursive: true });
    fs.rmSync(path.join(root, first.sha256.slice(0, 2)), { recursive: true });
    const [again] = await blobs.putMany([Buffer.from('written before')]);
    expect(again).toEqual(first);
    expect((await blobs.read(first.sha256)).toString()).toBe('written before');
  });

  it('refuses to hand out a blob whose bytes were changed on disk', async () => {
    const stored = await blobs.put('original letter');
    const file = path.join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256);
    fs.writeFileSync(file, 'tampered letter');
    await expect(blobs.read(stored.sha256)).rejects.toBeInstanceOf(BlobCorruptError);
  });

  it('says not found for an unknown hash and refuses a name that is not a hash', async () => {
    await expect(blobs.read('0'.repeat(64))).rejects.toMatchObject({ code: 'blob.not_found' });
    expect(() => blobs.open('../../etc/passwd')).toThrow(/not a sha256/);
  });
});
