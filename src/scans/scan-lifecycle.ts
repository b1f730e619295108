import { AppError } from '../shared/errors.js';
import type { ScanStatus } from './scans.tables.js';

export const scanEvents = ['match', 'miss', 'assign', 'file', 'fail', 'retry'] as const;
export type ScanEvent = (typeof scanEvents)[number];

/**
 * received → (its job reads it) → filing → filed, or → unmatched, which staff assign by hand →
 * filing → filed. A job that gives up leaves it failed; an admin's retry of that job receives it
 * again. Filing is a job's work in either case, so a crash in the middle is continued, never
 * repeated.
 */
const transitions: Record<ScanEvent, { from: ScanStatus[]; to: ScanStatus }> = {
  match: { from: ['received'], to: 'filing' },
  miss: { from: ['received'], to: 'unmatched' },
  assign: { from: ['unmatched'], to: 'filing' },
  file: { from: ['filing'], to: 'filed' },
  fail: { from: ['received', 'filing'], to: 'failed' },
  retry: { from: ['failed'], to: 'received' },
};

const eventWords: Record<ScanEvent, string> = {
  match: 'matched',
  miss: 'left unmatched',
  assign: 'filed by hand',
  file: 'filed',
  fail: 'failed',
  retry: 'retried',
};

const statusWords: Record<ScanStatus, string> = {
  received: 'waiting to be read',
  filing: 'being filed',
  filed: 'filed',
  unmatched: 'unmatched',
  failed: 'failed',
};

/** The statuses an event may leave, for a write guarded by them. */
export const scanStatusesFor = (event: ScanEvent) => transitions[event].from;

/** The status a scan moves to, or why it may not. */
export function nextScanStatus(event: ScanEvent, scan: { status: ScanStatus }): ScanStatus {
  const transition = transitions[event];
  if (!transition.from.includes(scan.status))
    throw new AppError(
      'conflict',
      'scan.wrong_status',
      `The scan is ${statusWords[scan.status]}; only a scan that is ${transition.from.map((status) => statusWords[status]).join(' or ')} can be ${eventWords[event]}.`,
    );
  return transition.to;
}
