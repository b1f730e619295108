import { AppError } from '../shared/errors.js';
import type { ScanMediaType } from './scans.tables.js';

const magic: [ScanMediaType, (bytes: Buffer) => boolean][] = [
  ['application/pdf', (bytes) => bytes.subarray(0, 5).toString('latin1') === '%PDF-'],
  ['image/png', (bytes) => bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))],
  ['image/jpeg', (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff],
  ['image/tiff', (bytes) => ['II*\u0000', 'MM\u0000*'].includes(bytes.subarray(0, 4).toString('latin1'))],
];

/** What kind of file the bytes are (whatever the sender called it), or a 415 naming the file. */
export function scanMediaTypeOf(bytes: Buffer, field = 'body.file'): ScanMediaType {
  const found = magic.find(([, test]) => test(bytes));
  if (!found)
    throw new AppError(
      'unsupported_media_type',
      'scan.unsupported_type',
      'A scan must be a PDF, PNG, JPEG or TIFF file.',
      [{ path: field, message: 'is not a PDF, PNG, JPEG or TIFF file' }],
    );
  return found[0];
}
