import type { HandOver, PermanentChannelFailure, TemporaryChannelFailure } from '../channels/channel-errors.js';
import type { DeliverableCustomer } from '../customers/customer-delivery.js';
import type { Channel } from '../customers/customers.tables.js';
import type { EnqueueRequest } from '../jobs/job-queue.js';
import type { templateVersions } from '../templates/templates.tables.js';
import type { AttemptOutcome, BatchRunStatus, communications } from './communications.tables.js';
import type { CommunicationEvent } from './lifecycle.js';

/** What a batch of deliveries carries from step to step (route → render → archive → hand over → record). */

export const DELIVER_JOB = 'communication.deliver';
/** How many times a delivery job runs before it gives up and its item is failed. */
export const DELIVER_ATTEMPTS = 8;
/** Delivery jobs handled together: read, written and handed over as one batch. */
export const DELIVER_BATCH = 100;

/** A delivery job for one communication, due at `runAt`. */
export const deliverJob = (communicationId: string, runAt?: Date): EnqueueRequest => ({
  kind: DELIVER_JOB,
  payload: { communicationId },
  runAt,
  maxAttempts: DELIVER_ATTEMPTS,
});

/** The columns of a communication that delivery reads. */
export type Communication = Pick<
  typeof communications.$inferSelect,
  | 'id'
  | 'customerId'
  | 'templateId'
  | 'templateVersionId'
  | 'purpose'
  | 'status'
  | 'channel'
  | 'address'
  | 'language'
  | 'failedChannels'
  | 'data'
  | 'archiveSha256'
  | 'archiveMediaType'
  | 'archiveSize'
  | 'snapshotSha256'
  | 'providerMessageId'
>;
export type TemplateVersion = typeof templateVersions.$inferSelect;

/** One communication as the batch read it; `version` is its row version (xmin), which guards the writes that follow. */
export type Item = {
  communication: Communication;
  version: string;
  template: { key: string; name: string };
  runStatus: BatchRunStatus | null;
  customer: DeliverableCustomer;
  templateVersion: TemplateVersion;
  fragments: Record<string, string>;
};

/** A status change that ends an item's delivery for now (suppressed, failed, bounced), with why. */
export type Closing = {
  item: Item;
  event: Extract<CommunicationEvent, 'suppress' | 'fail' | 'bounce'>;
  reason: string;
  title: string;
  attempt?: { channel: Channel | null; outcome: AttemptOutcome; response?: Record<string, unknown> };
};

/** Waits out quiet hours on the channel routing chose. */
export type Deferral = { item: Item; channel: Channel; reason: string; until: Date };

/** Routed to a channel that may take it now. */
export type Routed = { item: Item; channel: Channel; address: string; reason: string };

/** Rendered and archived (or found archived), about to be handed over. */
export type Ready = Routed & {
  bytes: Buffer;
  language: string;
  archive: { sha256: string; mediaType: string; size: number };
  snapshotSha256: string;
  messageId: string | null;
  /** The hand-over's attempt: to which channel, and whether this very copy may have reached it before. */
  detail: string;
};

export type Outcome =
  | { ready: Ready; kind: 'handed_over'; result: HandOver }
  | { ready: Ready; kind: 'permanent'; failure: PermanentChannelFailure }
  | { ready: Ready; kind: 'temporary'; failure: TemporaryChannelFailure };
