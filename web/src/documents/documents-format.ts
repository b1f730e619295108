import { formatDateTime, formatNumber } from '../ui/format.js';
import type { Lock } from './documents.api.js';

const UNITS = ['bytes', 'KB', 'MB', 'GB'] as const;

/** A file's size as people read it: "812 bytes", "1.4 MB". */
export function formatSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? formatNumber(size) : size.toFixed(1)} ${UNITS[unit]}`;
}

/** Who holds a document checked out, and since when. */
export const lockText = (lock: Lock) =>
  `Checked out by ${lock.by.name} since ${formatDateTime(lock.since)}` +
  (lock.expiresAt ? `, until ${formatDateTime(lock.expiresAt)}` : '');

/** Whether the browser shows this type itself: PDF in a frame, images as pictures. */
export const previewOf = (mediaType: string): 'pdf' | 'image' | null =>
  mediaType === 'application/pdf' ? 'pdf' : mediaType.startsWith('image/') ? 'image' : null;
