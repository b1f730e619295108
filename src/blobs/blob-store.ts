import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { promisify } from 'node:util';
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

/** What an operator reads when a write fails: the cause in words, then the system's own message. */
const writeFailureCauses: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'this process may not write there',
  EPERM: 'this process may not write there',
  EROFS: 'the file system is read-only',
  ENOENT: 'a folder is missing',
  ENOTDIR: 'a file stands where a folder should be',
  EIO: 'the disk reported an input/output error',
};

/** A failed write is temporary: once the operator frees space or fixes the folder, the same write succeeds. */
function writeFailed(root: string, error: NodeJS.ErrnoException) {
  const cause = (error.code && writeFailureCauses[error.code]) ?? 'the file system refused the write';
  return new AppError(
    'unavailable',
    'blob.write_failed',
    `Could not store a file under ${root}: ${cause} (${error.message}).`,
    [],
    { 'retry-after': '30' },
  );
}

// The callback functions, promisified: a FileHandle per file costs this thread noticeably more.
const openFile = promisify(fs.open);
const syncFile = promisify(fs.fsync);
const closeFile = promisify(fs.close);
const writeFile = promisify(fs.writeFile);
const renameFile = promisify(fs.rename);

/** Makes a directory entry (a rename, a new folder) survive power loss: fsync the directory itself. */
async function syncDirectory(dir: string) {
  const fd = await openFile(dir, 'r');
  try {
    await syncFile(fd);
  } finally {
    await closeFile(fd);
  }
}

/** Creates `dir` and its missing parents, each made durable in its own parent. */
async function makeDirectoryDurably(dir: string) {
  const firstCreated = await fsp.mkdir(dir, { recursive: true });
  if (!firstCreated) return;
  for (let created = dir; ; created = path.dirname(created)) {
    await syncDirectory(path.dirname(created));
    if (created === firstCreated) break;
  }
}

/** A blob's name: the sha256 of its bytes, in hex. */
export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Content-addressed blobs on the filesystem: a blob's name is the sha256 of its bytes, so storing the
 * same content twice keeps one copy, and every read is checked against its name. `put` returns only
 * once the bytes and their name are on disk (fsync), so a row that points at a blob never outlives it.
 */
export function createFileBlobStore(root: string) {
  const tmpDir = path.join(root, 'tmp');
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256))
      throw new AppError('bad_request', 'blob.invalid_hash', `${sha256} is not a sha256 hex digest.`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  /** A file system operation whose failure is the store's (disk, folder), not the content source's. */
  const disk = <T>(operation: Promise<T>) =>
    operation.catch((error: NodeJS.ErrnoException) => {
      throw writeFailed(root, error);
    });

  // Folders this process made durable or found: a write into them needs no mkdir. One that went
  // away meanwhile (ENOENT) is forgotten and made again.
  const durableFolders = new Set<string>();
  async function folder(dir: string) {
    if (durableFolders.has(dir)) return;
    await makeDirectoryDurably(dir);
    durableFolders.add(dir);
  }
  async function inFolder<T>(dir: string, operation: () => Promise<T>): Promise<T> {
    await folder(dir);
    try {
      return await operation();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      durableFolders.delete(dir);
      await folder(dir);
      return operation();
    }
  }

  /** Writes a stream to a private file, hashing it on the way, and syncs it to disk. */
  async function writeTemporary(tmp: string, content: Readable): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    const file = await disk(inFolder(tmpDir, () => fsp.open(tmp, 'wx')));
    try {
      for await (const chunk of content) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        hash.update(bytes);
        size += bytes.length;
        await disk(file.write(bytes));
      }
      await disk(file.sync());
    } finally {
      await file.close();
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Names a synced private file by its hash; the caller syncs the folder before anyone relies on the name. */
  const rename = (tmp: string, sha256: string) => {
    const target = pathOf(sha256);
    return disk(inFolder(path.dirname(target), () => renameFile(tmp, target)));
  };

  const removeQuietly = (files: string[]) =>
    Promise.all(files.map((file) => fsp.rm(file, { force: true }).catch(() => {})));

  /**
   * Many blobs at once, as durable as `put` with the fewest system calls: each written to a
   * private file and synced, all renamed to their hashes, then each folder they landed in synced
   * once. Answers in the order given.
   */
  async function putMany(contents: readonly Buffer[]): Promise<StoredBlob[]> {
    const stored = contents.map((bytes) => ({ sha256: sha256Of(bytes), size: bytes.length }));
    const unique = new Map<string, Buffer>();
    contents.forEach((bytes, index) => unique.set(stored[index]!.sha256, bytes));
    const temporary = new Map([...unique.keys()].map((sha256) => [sha256, path.join(tmpDir, randomUUID())]));
    try {
      await Promise.all(
        [...unique].map(([sha256, bytes]) =>
          // Written, synced (flush) and closed before it is named: a name never points at bytes a power loss can take.
          disk(inFolder(tmpDir, () => writeFile(temporary.get(sha256)!, bytes, { flag: 'wx', flush: true }))),
        ),
      );
      await Promise.all([...temporary].map(([sha256, tmp]) => rename(tmp, sha256)));
      const folders = new Set([...unique.keys()].map((sha256) => path.dirname(pathOf(sha256))));
      await Promise.all([...folders].map((dir) => disk(syncDirectory(dir))));
      return stored;
    } catch (error) {
      await removeQuietly([...temporary.values()]);
      throw error;
    }
  }

  return {
    putMany,

    /**
     * Streams the content to disk while hashing it; nothing is visible under its name until it is
     * complete and synced. A full disk or an unwritable folder fails with `blob.write_failed` (503).
     */
    async put(content: Readable | Buffer | string): Promise<StoredBlob> {
      if (typeof content === 'string' || Buffer.isBuffer(content)) {
        const [stored] = await putMany([Buffer.from(content)]);
        return stored!;
      }
      const tmp = path.join(tmpDir, randomUUID());
      try {
        const stored = await writeTemporary(tmp, content);
        await rename(tmp, stored.sha256);
        await disk(syncDirectory(path.dirname(pathOf(stored.sha256))));
        return stored;
      } catch (error) {
        await removeQuietly([tmp]);
        throw error;
      }
    },

    async size(sha256: string): Promise<number> {
      return (await fsp.stat(pathOf(sha256))).size;
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

    /**
     * Destroys a blob's bytes (retention's disposition). The caller has made sure no live row names
     * it; removing one that is not there is no error.
     */
    async remove(sha256: string): Promise<void> {
      const file = pathOf(sha256);
      await disk(fsp.rm(file, { force: true }));
      await disk(syncDirectory(path.dirname(file))).catch((error: AppError) => {
        if (!error.message.includes('ENOENT')) throw error;
      });
    },

    async read(sha256: string): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of this.open(sha256)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
