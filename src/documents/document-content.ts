import path from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import { AppError } from '../shared/errors.js';

/** A file on its way in: its bytes as a stream, the name and type its sender gave. */
export type IncomingFile = {
  stream: Readable;
  filename: string;
  mediaType: string;
  /**
   * Called once the bytes are stored, before anything is committed: an HTTP form reads (and
   * refuses) what follows the file here.
   */
  finish?: () => Promise<void>;
};

export const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', 'document.too_large', `The file is larger than ${maxBytes} bytes allowed.`, [
    { path: 'body.file', message: `is larger than ${maxBytes} bytes` },
  ]);

/**
 * Passes the bytes on and fails once more than `maxBytes` went through, or when the source says it
 * cut the file short (busboy's `truncated`), so the blob store never names a file over the limit.
 */
export function sizeLimited(source: Readable & { truncated?: boolean }, maxBytes: number): Readable {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
    flush(done) {
      done(source.truncated ? tooLarge(maxBytes) : null);
    },
  });
  // pipeline passes a source failure on and stops the source when the limit is hit.
  pipeline(source, limiter, () => {});
  return limiter;
}

const mediaTypePattern = /^[a-z0-9][\w!#$&^.+-]{0,126}\/[a-z0-9][\w!#$&^.+-]{0,126}$/;

/** The type as sent, without parameters; anything unrecognisable is plain bytes. */
export function normalMediaType(sent: string | undefined) {
  const type = (sent ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaTypePattern.test(type) ? type : 'application/octet-stream';
}

/** The file's own name without any folders, printable, at most 255 characters. */
export function normalFilename(sent: string | undefined) {
  const name = path
    .basename((sent ?? '').replaceAll('\\', '/'))
    .replace(/[\p{Cc}\p{Cs}]/gu, '')
    .trim()
    .slice(0, 255);
  return name || 'document';
}

/** Shown in the browser rather than saved: PDF and raster images (SVG can carry script, so it is saved). */
export const showsInline = (mediaType: string) =>
  mediaType === 'application/pdf' || (mediaType.startsWith('image/') && mediaType !== 'image/svg+xml');

/**
 * The bytes `start`..`end` (inclusive) of a stream. The whole blob is still read, so the store
 * verifies its hash on every read.
 */
export function byteRange(source: Readable, start: number, end: number): Readable {
  let offset = 0;
  const slice = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(start - offset, 0);
      const to = Math.min(end + 1 - offset, chunk.length);
      offset += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
  pipeline(source, slice, () => {});
  return slice;
}

/** Stores the file's bytes (hashing them on the way in, at most `maxBytes`), then lets the form finish. */
export async function receive(blobs: Pick<BlobStore, 'put'>, file: IncomingFile, maxBytes: number) {
  const stored = await blobs.put(sizeLimited(file.stream, maxBytes)).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    // The store's own failures are AppErrors; anything else came from the sender's stream.
    throw new AppError('bad_request', 'document.upload_broken', `The upload broke off: ${(error as Error).message}.`);
  });
  await file.finish?.();
  return { ...stored, filename: normalFilename(file.filename), mediaType: normalMediaType(file.mediaType) };
}
