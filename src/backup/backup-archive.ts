import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { z } from 'zod';
import { AppError } from '../shared/errors.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const entry = z.object({ path: z.string(), sha256, size: z.number().int().min(0) });

/** What a backup holds, written into it as `manifest.json`; every other entry is listed with its hash. */
export const manifestSchema = z.object({
  format: z.literal('tidings-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  database: entry.extend({ format: z.enum(['pg_dump-custom', 'pglite-datadir']) }),
  /** Rows per table in the snapshot: a restore must arrive at the same numbers. */
  counts: z.record(z.string(), z.number().int()),
  /** The newest audit event in the snapshot; the head file in the backup anchors nothing beyond it. */
  auditSeq: z.number().int(),
  blobs: z.array(entry),
  dataFiles: z.array(entry),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST = 'manifest.json';
export const blobEntry = (hash: string) => `blobs/${hash}`;
export const dataFileEntry = (name: string) => `data/${name}`;

const invalid = (file: string, why: string) =>
  new AppError('unprocessable', 'backup.invalid', `${file} is not a usable Tidings backup: ${why}.`);

/** A backup opened for reading: its manifest, and each entry as a stream checked against the manifest's hash. */
export async function openBackup(file: string) {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) =>
      error ? reject(invalid(file, error.message)) : resolve(opened),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (found: yauzl.Entry) => {
      entries.set(found.fileName, found);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });

  const stream = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const found = entries.get(name);
      if (!found) return reject(invalid(file, `${name} is missing`));
      zip.openReadStream(found, (error, opened) => (error ? reject(error) : resolve(opened)));
    });

  async function read(name: string, expected?: { sha256: string; size: number }): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await stream(name)) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    if (expected) {
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== expected.sha256 || bytes.length !== expected.size)
        throw invalid(file, `${name} does not match its hash in the manifest (damaged or altered)`);
    }
    return bytes;
  }

  const parsed = manifestSchema.safeParse(JSON.parse((await read(MANIFEST)).toString('utf8')));
  if (!parsed.success) throw invalid(file, `its manifest does not read as version 1 (${parsed.error.message})`);
  return { manifest: parsed.data, read, stream, close: () => zip.close() };
}
