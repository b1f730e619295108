import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../shared/errors.js';

export type StoredBlob = { sha256: string; size: number };

const SHA256 = /^[0-9a-f]{64}$/;

export class BlobCorruptError extends Error {
  constructor(
    readonly sha256: string,
    readonly actual: string,
  ) {
    super(`Blob ${sha256} is corrupt: its content hashes to ${actual}.`);
  }
}

export type BlobStore = ReturnType<typeof createFileBlobStore>;

/**
 * Content-addressed blobs on the filesystem: a blob's name is the sha256 of its bytes, so storing the
 * same content twice keeps one copy, and every read is checked against its name.
 */
export function createFileBlobStore(root: string) {
  const tmpDir = path.join(root, 'tmp');
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256))
      throw new AppError('bad_request', 'blob.invalid_hash', `${sha256} is not a sha256 hex digest.`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  return {
    /** Streams the content to disk while hashing it; nothing is visible under its name until complete. */
    async put(content: Readable | Buffer | string): Promise<StoredBlob> {
      await fsp.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      const source =
        typeof content === 'string' || Buffer.isBuffer(content) ? Readable.from([Buffer.from(content)]) : content;
      try {
        await pipeline(
          source,
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk);
              size += chunk.length;
              done(null, chunk);
            },
          }),
          fs.createWriteStream(tmp, { flags: 'wx' }),
        );
        const sha256 = hash.digest('hex');
        const target = pathOf(sha256);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.rename(tmp, target);
        return { sha256, size };
      } finally {
        await fsp.rm(tmp, { force: true });
      }
    },

    async has(sha256: string) {
      return fsp.access(pathOf(sha256)).then(
        () => true,
        () => false,
      );
    },

    /** A stream of the blob that fails with BlobCorruptError at its end if the bytes do not match the name. */
    open(sha256: string): Readable {
      const hash = createHash('sha256');
      const verify = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          const actual = hash.digest('hex');
          done(actual === sha256 ? null : new BlobCorruptError(sha256, actual));
        },
      });
      const file = fs.createReadStream(pathOf(sha256));
      file.on('error', (error) =>
        verify.destroy(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? new AppError('not_found', 'blob.not_found', `No blob ${sha256}.`)
            : error,
        ),
      );
      return file.pipe(verify);
    },

    async read(sha256: string): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of this.open(sha256)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
