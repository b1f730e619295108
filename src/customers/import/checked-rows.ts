import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { IncomingRow } from './customer-batch.js';

/**
 * A batch as validation left it: the file's row range it covers (rejected rows count), and the rows
 * it did not reject, each already applied to a new customer. The write pass reads these instead of
 * parsing and checking the file a second time, which was half of an import's work.
 */
export type CheckedBatch = { first: number; last: number; count: number; rows: IncomingRow[] };

type StoredRow = [rowNumber: number, values: Record<string, string | string[]>, asNew: IncomingRow['asNew']];

/**
 * Streams the checked batches of one run into a blob, one JSON line each, after a first line naming
 * the run: two runs of the same file never share (and so never remove) each other's blob.
 */
export function checkedRowsWriter(blobs: Pick<BlobStore, 'put'>, run: { importId: string; runId: string }) {
  const lines = new PassThrough();
  const stored = blobs.put(lines);
  // Awaited by `add` and `finish`; an abandoned write must not count as unhandled.
  stored.catch(() => {});
  const write = async (value: unknown) => {
    if (!lines.write(`${JSON.stringify(value)}\n`)) await Promise.race([once(lines, 'drain'), stored]);
  };
  const ready = write({ importId: run.importId, runId: run.runId });
  return {
    async add(batch: CheckedBatch) {
      await ready;
      const rows: StoredRow[] = batch.rows.map((row) => [row.rowNumber, Object.fromEntries(row.values), row.asNew]);
      await write({ first: batch.first, last: batch.last, count: batch.count, rows });
    },
    /** The blob's name. */
    async finish() {
      await ready;
      lines.end();
      return (await stored).sha256;
    },
    /** Stops writing; the blob store removes what it had written. */
    abandon() {
      lines.destroy();
    },
  };
}

/** The checked batches of a blob written by `checkedRowsWriter`, from the first that ends after row `after`. */
export async function* checkedBatches(
  blobs: Pick<BlobStore, 'open'>,
  sha256: string,
  after: number,
): AsyncGenerator<CheckedBatch> {
  let header = true;
  for await (const line of createInterface({ input: blobs.open(sha256), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    const batch = JSON.parse(line) as Omit<CheckedBatch, 'rows'> & { rows: StoredRow[] };
    if (batch.last <= after) continue;
    yield {
      first: batch.first,
      last: batch.last,
      count: batch.count,
      rows: batch.rows.map(([rowNumber, values, asNew]) => ({
        rowNumber,
        values: new Map(Object.entries(values)),
        asNew,
      })),
    };
  }
}
