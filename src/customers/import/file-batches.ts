import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { BatchRules, IncomingRow, RowReject } from './customer-batch.js';
import { csvRows, utf8Text } from './csv-reader.js';
import type { FieldValues } from './customer-row.js';
import type { StoredImportOptions } from './imports.schemas.js';
import { rowChecker } from './row-checker.js';

/** Rows per batch read, checked and kept; the embedded database writes a batch in smaller pieces (write-pass.ts). */
export const BATCH_ROWS = 500;
/** Rows read between two turns of the event loop. */
const YIELD_EVERY_ROWS = 200;

/** A batch of the file: its rows that could be read (with their checks), those that could not, and the row range. */
export type Batch = { rows: IncomingRow[]; unreadable: RowReject[]; first: number; last: number; count: number };
/** What reading an import's file needs: the stored file, its options and mapping, and the rules to check rows by. */
type FilePlan = {
  record: { fileSha256: string; fileSize: number };
  options: Pick<StoredImportOptions, 'delimiter' | 'columns'>;
  mapping: { index: number; field: string }[];
  rules: BatchRules;
};

/** Our own export protects formula-like cells with an apostrophe; a cell read back loses it. */
const cellValue = (cell: string) => cell.trim().replace(/^'(?=[=+\-@\t\r])/, '');

/**
 * Hands out a source's items while already reading the next one: the file's parsing runs while the
 * database writes the batch before it.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  // Awaited below; until then a failure must not count as unhandled.
  next.catch(() => {});
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * The file's rows in batches, each row already applied to a new customer: most rows of an import
 * are new customers, and this work is done (on its own thread for a large file) while the
 * database writes the batch before.
 */
export async function* fileBatches(
  { record, options, mapping, rules }: FilePlan,
  blobs: Pick<BlobStore, 'open'>,
  after = 1,
): AsyncGenerator<Batch> {
  const checker = rowChecker(rules, record.fileSize);
  const checked = async (batch: Batch) => {
    const checks = await checker.check(batch.rows.map((row) => row.values));
    batch.rows.forEach((row, index) => (row.asNew = checks[index]));
    return batch;
  };
  let batch: Batch | undefined;
  let previous: Promise<Batch> | undefined;
  try {
    for await (const row of csvRows(utf8Text(blobs.open(record.fileSha256)), options.delimiter)) {
      if (row.rowNumber <= after) continue;
      batch ??= { rows: [], unreadable: [], first: row.rowNumber, last: row.rowNumber, count: 0 };
      if ('unreadable' in row) batch.unreadable.push({ rowNumber: row.rowNumber, field: '', reason: row.unreadable });
      else if (row.cells.length !== options.columns.length) {
        batch.unreadable.push({
          rowNumber: row.rowNumber,
          field: '',
          reason: `has ${row.cells.length} values but the header names ${options.columns.length} columns`,
        });
      } else {
        const values: FieldValues = new Map();
        for (const { index, field } of mapping) {
          const value = cellValue(row.cells[index]!);
          if (value) values.set(field, value);
        }
        batch.rows.push({ rowNumber: row.rowNumber, values });
        if (batch.rows.length % YIELD_EVERY_ROWS === 0) await nextTurn();
      }
      batch.last = row.rowNumber;
      if (++batch.count === BATCH_ROWS) {
        const checking = checked(batch);
        // Awaited when its turn comes; until then a failure must not count as unhandled.
        checking.catch(() => {});
        // The thread checks this batch while the one before is handed out and the next is read.
        if (previous) yield await previous;
        previous = checking;
        batch = undefined;
      }
    }
    if (previous) yield await previous;
    if (batch) yield await checked(batch);
  } finally {
    await checker.close();
  }
}
