import type {
  AttemptOutcome,
  BatchRunStatus,
  CommunicationStatus,
} from '../../../src/communications/communications.tables.js';

export type { AttemptOutcome, BatchRunStatus, CommunicationStatus };

// Records keyed by the server's own unions: a status added there fails the type check here.
export const statusLabels: Record<CommunicationStatus, string> = {
  queued: 'Queued',
  rendered: 'Rendered',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  bounced: 'Bounced',
  suppressed: 'Suppressed',
};

/** What each status means for the person reading a list of communications. */
export const statusHints: Record<CommunicationStatus, string> = {
  queued: 'Waiting to be routed and rendered, or deferred to the end of quiet hours',
  rendered: 'Rendered and archived; a letter waits here for its print batch',
  sent: 'Handed to the channel',
  delivered: 'The channel confirmed delivery',
  failed: 'No channel could take it',
  bounced: 'The email came back',
  suppressed: 'Not sent: no allowed channel, or the batch run was cancelled',
};

export const outcomeLabels: Record<AttemptOutcome, string> = {
  handing_over: 'Handing over',
  handed_over: 'Handed over',
  failed_temporarily: 'Failed, will retry',
  failed_permanently: 'Failed, falls back',
  suppressed: 'Suppressed',
  deferred: 'Deferred',
};

export const runStatusLabels: Record<BatchRunStatus, string> = {
  scheduled: 'Scheduled',
  running: 'Running',
  paused: 'Paused',
  awaiting_print: 'Awaiting print',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

const keysOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as K[];

export const communicationStatuses = keysOf(statusLabels);
export const runStatuses = keysOf(runStatusLabels);

export const isCommunicationStatus = (value: string | null): value is CommunicationStatus =>
  value !== null && value in statusLabels;

/** A run in one of these states changes no more by itself (a print batch completes one awaiting print): live updates stop. */
export const runHasEnded = (status: BatchRunStatus) =>
  status === 'completed' || status === 'cancelled' || status === 'awaiting_print';

/** Regulatory, Transactional…: the template purpose a communication was sent for. */
export const purposeLabel = (purpose: string) => purpose.charAt(0).toUpperCase() + purpose.slice(1);

/** 9.3 KB, 1.2 MB: the size of an archived copy. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}
