import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../shared/errors.js';

/** No single record may hold more than this, so one enormous line cannot exhaust memory. */
export const MAX_RECORD_BYTES = 1_048_576;
/** Past this many unreadable rows the file is probably not CSV at all (or has another delimiter). */
const MAX_UNREADABLE_ROWS = 1000;

export const delimiters = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof delimiters)[number];

/** A data row's cells, or why the row could not be read; row 1 is the header. */
export type CsvRow = { rowNumber: number; cells: string[] } | { rowNumber: number; unreadable: string };

const notUtf8 = (message: string) =>
  new AppError(
    'bad_request',
    'customer_import.not_utf8',
    `${message} Save the file as UTF-8 (in Excel: "CSV UTF-8"), then upload it again.`,
  );

/** Length of the valid UTF-8 sequence starting at `at`, or 0 if the bytes there are not one. */
function sequenceLength(bytes: Buffer, at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return lead === 0 ? 0 : 1;
  const length =
    lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  for (let index = 1; index < length; index++) if ((bytes[at + index]! & 0xc0) !== 0x80) return 0;
  const second = bytes[at + 1]!;
  if (
    (lead === 0xe0 && second < 0xa0) ||
    (lead === 0xed && second > 0x9f) ||
    (lead === 0xf0 && second < 0x90) ||
    (lead === 0xf4 && second > 0x8f)
  )
    return 0;
  return length;
}

function firstInvalidByte(bytes: Buffer): number {
  for (let at = 0; at < bytes.length;) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return -1;
}

/** Where a character that a chunk boundary cut in two begins, so it can wait for the next chunk. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needs > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

const countLines = (bytes: Buffer, end = bytes.length) => {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1 && at < end; at = bytes.indexOf(10, at + 1)) lines++;
  return lines;
};

/**
 * Passes bytes through while checking that they are UTF-8 text (a UTF-8 BOM is fine). A UTF-16 or
 * UTF-32 file, a NUL byte or an invalid sequence stops the stream with the line and byte where it is.
 */
export async function* utf8Text(
  source: AsyncIterable<Buffer | string>,
  maxBytes = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  let line = 1;
  let first = true;
  for await (const piece of source) {
    const chunk = carry.length ? Buffer.concat([carry, Buffer.from(piece)]) : Buffer.from(piece);
    if (offset + chunk.length > maxBytes) {
      throw new AppError(
        'payload_too_large',
        'customer_import.too_large',
        `The file is larger than ${Math.floor(maxBytes / 1_048_576)} MB.`,
      );
    }
    if (first && chunk.length >= 2) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        throw notUtf8('The file is UTF-16 (or UTF-32) encoded, not UTF-8.');
      if (chunk[0] === 0 && chunk[1] === 0) throw notUtf8('The file is UTF-32 encoded, not UTF-8.');
    }
    const cut = incompleteTail(chunk);
    const body = chunk.subarray(0, cut);
    carry = Buffer.from(chunk.subarray(cut));
    if (!isUtf8(body) || body.includes(0)) {
      const at = firstInvalidByte(body);
      const where = `line ${line + countLines(body, at)}, byte ${offset + at + 1}`;
      throw notUtf8(
        body[at] === 0
          ? `The file has a NUL byte at ${where}: it is binary or UTF-16, not UTF-8 text.`
          : `The file is not valid UTF-8: byte 0x${body[at]!.toString(16).toUpperCase().padStart(2, '0')} at ${where} is not part of a UTF-8 character.`,
      );
    }
    line += countLines(body);
    offset += body.length;
    if (body.length) yield body;
  }
  if (carry.length)
    throw notUtf8(`The file is not valid UTF-8: it ends inside a character (line ${line}, byte ${offset + 1}).`);
}

/** The delimiter the header line uses most: Excel writes ";" where the decimal mark is a comma. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(delimiters.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as Delimiter))
      counts.set(char as Delimiter, counts.get(char as Delimiter)! + 1);
  }
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

function describe(error: CsvError, rowNumber: number) {
  const line = (error as CsvError & { lines?: number }).lines;
  if (error.code === 'CSV_MAX_RECORD_SIZE')
    return `row ${rowNumber} (line ${line}) is larger than ${MAX_RECORD_BYTES / 1_048_576} MB; the file was not read past it`;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED')
    return `a quoted value is never closed (the file ends inside quotes that open on or before line ${line})`;
  return `cannot be read as CSV: ${error.message.replace(/\s*\(if activated\)/, '')}`;
}

class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly rowNumber: number,
  ) {
    super(message);
  }
}

/** The file cannot be read on from `rowNumber`; nothing after it is known. */
export class UnreadableCsvError extends AppError {
  constructor(
    readonly reason: string,
    readonly rowNumber: number,
  ) {
    super('validation_failed', 'customer_import.unreadable', `The file cannot be imported: ${reason}.`, [
      { path: `row ${rowNumber}`, message: reason },
    ]);
  }
}

/**
 * Streams CSV rows with their row numbers, in constant memory. A row csv-parse cannot read comes
 * out as unreadable (in order) and reading goes on; a record over MAX_RECORD_BYTES, or too many
 * unreadable rows, ends the file with an AppError that names the row.
 */
export async function* csvRows(source: AsyncIterable<Buffer>, delimiter: Delimiter): AsyncGenerator<CsvRow> {
  const pending: { recordsBefore: number; error: CsvError }[] = [];
  let unreadable = 0;
  let rowNumber = 0;
  const parser = parse({
    delimiter,
    bom: true,
    max_record_size: MAX_RECORD_BYTES,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return;
      // csv-parse runs ahead of the consumer: the row number comes from its own counts.
      const at = Number(error.records) + unreadable + 1;
      if (error.code === 'CSV_MAX_RECORD_SIZE') throw new UnreadableFileError(describe(error, at), at);
      if (++unreadable > MAX_UNREADABLE_ROWS)
        throw new UnreadableFileError(
          `more than ${MAX_UNREADABLE_ROWS} rows cannot be read as CSV with "${delimiter}" between values; is it a CSV file?`,
          at,
        );
      pending.push({ recordsBefore: Number(error.records), error });
    },
  });
  const input = Readable.from(source);
  pipeline(input, parser, () => {});
  // The records read so far, as csv-parse counts them: its `info` option says so too, but copies its state for each record.
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      records++;
      while (pending.length && pending[0]!.recordsBefore < records)
        yield { rowNumber: ++rowNumber, unreadable: describe(pending.shift()!.error, rowNumber) };
      yield { rowNumber: ++rowNumber, cells: record };
    }
    while (pending.length) yield { rowNumber: ++rowNumber, unreadable: describe(pending.shift()!.error, rowNumber) };
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new UnreadableCsvError(error.message, error.rowNumber);
    throw error;
  } finally {
    parser.destroy();
    input.destroy();
  }
}
