import { channels, type Channel, type Purpose } from '../customers/customers.tables.js';
import { decideChannel, type ChannelVerdict } from '../customers/reachability.js';
import type { EnqueueRequest } from '../jobs/job-queue.js';
import { chooseLanguage } from '../templates/preview-rendering.js';
import type { AttemptOutcome } from './communications.tables.js';
import { deliverJob, type Closing, type Deferral, type Item, type Routed } from './delivery-batch.js';

/** A paused run's items look again this long after. */
const PAUSED_RETRY_MS = 2_000;

/** Regulatory notices must reach the customer: for consent they count as transactional. */
export const consentPurpose = (purpose: string): Purpose =>
  purpose === 'regulatory' ? 'transactional' : (purpose as Purpose);

/** The language an item is rendered in: the customer's if the version has it, else its default. */
export const languageOf = (item: Item) =>
  chooseLanguage(item.templateVersion.variants, item.customer.language, item.templateVersion.defaultLanguage);

/** A communication may name the one channel it goes by in its data: a ticket's reply on the channel the agent chose. */
const chosenChannel = (data: Record<string, unknown>) => channels.find((channel) => channel === data.channel);

/**
 * A message the recipient just asked for (a portal sign-in link) names in its data the email address
 * that asked (`data.requestedBy`): routing sends it there only, and quiet hours do not hold it.
 */
const requestedBy = (data: Record<string, unknown>) =>
  typeof data.requestedBy === 'string' ? data.requestedBy.trim().toLowerCase() : undefined;

export type Exhausted = { item: Item; reason: string; considered: ChannelVerdict[] };

/**
 * Route: where each item may go now. Items of a cancelled run are suppressed; those of a paused
 * run look again a little later; quiet hours defer; an item no allowed channel is left for is
 * `exhausted` (see `endOfRoute`).
 */
export function route(items: Item[], now: Date) {
  const routed: Routed[] = [];
  const closings: Closing[] = [];
  const later: EnqueueRequest[] = [];
  const deferrals: Deferral[] = [];
  const exhausted: Exhausted[] = [];
  for (const item of items) {
    const { communication } = item;
    if (item.runStatus === 'cancelled') {
      closings.push({
        item,
        event: 'suppress',
        reason:
          communication.status === 'handing_over'
            ? 'The batch run was cancelled; an interrupted hand-over may have reached the channel.'
            : 'The batch run was cancelled.',
        title: 'Not sent: batch run cancelled',
      });
      continue;
    }
    if (item.runStatus === 'paused') {
      later.push(deliverJob(communication.id, new Date(now.getTime() + PAUSED_RETRY_MS)));
      continue;
    }
    const bodies = item.templateVersion.variants[languageOf(item)] ?? {};
    const chosen = chosenChannel(communication.data);
    const offered = Object.entries(bodies).flatMap(([channel, body]) =>
      body && (!chosen || channel === chosen) ? [channel as Channel] : [],
    );
    const reach = decideChannel(item.customer, item.customer.consents, consentPurpose(communication.purpose), now, {
      exclude: communication.failedChannels,
      offered,
      requestedBy: requestedBy(communication.data),
    });
    if (!reach.reachable) exhausted.push({ item, reason: reach.reason, considered: reach.considered });
    else if (reach.deferUntil && reach.deferUntil > now)
      deferrals.push({ item, channel: reach.channel, reason: reach.reason, until: reach.deferUntil });
    else routed.push({ item, channel: reach.channel, address: reach.address, reason: reach.reason });
  }
  return { routed, closings, later, deferrals, exhausted };
}

/** The item just fell back from a channel that refused it for good: routing it found no other. */
export const fellBack = ({ communication }: Item) =>
  communication.status === 'queued' && communication.failedChannels.length > 0;

/**
 * No channel is left: an item that just fell back failed, or bounced when the refusal it fell back
 * from (`lastRefusal`, by communication) was a bounce; any other is suppressed (consent, no address).
 */
export function endOfRoute(exhausted: Exhausted[], lastRefusal: ReadonlyMap<string, AttemptOutcome>): Closing[] {
  return exhausted.map(({ item, reason, considered }): Closing => {
    const attempt = { channel: null, outcome: 'suppressed' as const, response: { considered } };
    if (!fellBack(item)) return { item, event: 'suppress', reason, title: 'Not sent: no allowed channel', attempt };
    const bounced = lastRefusal.get(item.communication.id) === 'bounced';
    return {
      item,
      event: bounced ? 'bounce' : 'fail',
      reason: `Every channel refused it: ${reason}`,
      title: bounced
        ? 'Not sent: the email bounced and no other channel is left'
        : 'Not sent: every channel refused it',
      attempt,
    };
  });
}
