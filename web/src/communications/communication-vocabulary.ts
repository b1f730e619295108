import type {
  AttemptOutcome,
  BatchRunStatus,
  CommunicationStatus,
} from '../../../src/communications/communications.tables.js';

import { inWords, labelsOf } from '../ui/vocabulary.js';

export type { AttemptOutcome, BatchRunStatus, CommunicationStatus };

// Labels keyed by the server's own unions: a status added there fails the type check here.
export const communicationStatuses = [
  'queued',
  'rendered',
  'handing_over',
  'awaiting_print',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'suppressed',
] as const;
export const statusLabels: Record<CommunicationStatus, string> = labelsOf(communicationStatuses);

/** What each status means for the person reading a list of communications. */
export const statusHints: Record<CommunicationStatus, string> = {
  queued: 'Waiting to be routed and rendered, or deferred to the end of quiet hours',
  rendered: 'Rendered and archived; the channel could not take it yet, the next attempt will',
  handing_over: 'Being handed to the channel',
  awaiting_print: 'A letter in the print queue, waiting for the next print batch',
  sent: 'Handed to the channel',
  delivered: 'The channel confirmed delivery',
  failed: 'No channel could take it',
  bounced: 'The email came back',
  suppressed: 'Not sent: no allowed channel, or the batch run was cancelled',
};

/** Delivery still has work to do on these (src/communications/lifecycle.ts); a letter awaiting print waits for its batch. */
export const inDelivery: readonly CommunicationStatus[] = ['queued', 'rendered', 'handing_over'];

export const outcomeLabels: Record<AttemptOutcome, string> = labelsOf(
  ['handing_over', 'handed_over', 'failed_temporarily', 'failed_permanently', 'bounced', 'suppressed', 'deferred'],
  { failed_temporarily: 'Failed, will retry', failed_permanently: 'Failed, falls back' },
);

const runStatuses = ['scheduled', 'running', 'paused', 'awaiting_print', 'completed', 'cancelled'] as const;
export const runStatusLabels: Record<BatchRunStatus, string> = labelsOf(runStatuses);

/** A run in one of these states changes no more by itself (a print batch completes one awaiting print): live updates stop. */
export const runHasEnded = (status: BatchRunStatus) =>
  status === 'completed' || status === 'cancelled' || status === 'awaiting_print';

/** Regulatory, Transactional…: the template purpose a communication was sent for. */
export const purposeLabel = inWords;

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
