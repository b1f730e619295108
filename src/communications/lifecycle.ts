import { inArray, type SQL } from 'drizzle-orm';
import { communications, type CommunicationStatus } from './communications.tables.js';

/**
 * What happens to a communication: each event moves it from one of some statuses to one status.
 *
 *   queued ──hand_over──▶ handing_over ──sent──▶ sent ──delivered──▶ delivered
 *                          │    ▲    └──queue_for_print──▶ awaiting_print ──printed──▶ sent
 *              retry_later │    │ hand_over (the identical copy again)
 *                          ▼    │
 *                         rendered
 *   handing_over, sent ──fall_back──▶ queued (to the next channel)
 *   queued, rendered, handing_over ──suppress──▶ suppressed,  ──fail──▶ failed;   queued ──bounce──▶ bounced
 *   failed ──redeliver──▶ queued (an admin retried its dead delivery job)
 */
export const communicationEvents = [
  'hand_over',
  'sent',
  'queue_for_print',
  'printed',
  'delivered',
  'retry_later',
  'fall_back',
  'suppress',
  'fail',
  'bounce',
  'redeliver',
] as const;
export type CommunicationEvent = (typeof communicationEvents)[number];

const transitions: Record<CommunicationEvent, { from: readonly CommunicationStatus[]; to: CommunicationStatus }> = {
  /**
   * The exact copy is archived and goes to the channel next. From handing_over: the last hand-over
   * was interrupted and may have reached the channel, so the same copy goes again, marked so.
   */
  hand_over: { from: ['queued', 'rendered', 'handing_over'], to: 'handing_over' },
  /** The channel took it. */
  sent: { from: ['handing_over'], to: 'sent' },
  /** A letter's hand-over: it waits in the print queue for the next print batch. */
  queue_for_print: { from: ['handing_over'], to: 'awaiting_print' },
  /** Its print batch was made: printed and posted. */
  printed: { from: ['awaiting_print'], to: 'sent' },
  /** The gateway confirmed delivery. */
  delivered: { from: ['sent'], to: 'delivered' },
  /** The channel could not take it now: the archived copy waits for the job's next attempt. */
  retry_later: { from: ['handing_over'], to: 'rendered' },
  /** The channel refused it for good, at the hand-over or later (a bounce, a gateway receipt): route again. */
  fall_back: { from: ['handing_over', 'sent'], to: 'queued' },
  /** Not sent: no channel is allowed, or its batch run was cancelled. */
  suppress: { from: ['queued', 'rendered', 'handing_over'], to: 'suppressed' },
  /** Not sent: it cannot be rendered, its delivery job ran out of attempts, or every channel refused it. */
  fail: { from: ['queued', 'rendered', 'handing_over'], to: 'failed' },
  /** Every channel refused it, the last one by a hard bounce. */
  bounce: { from: ['queued'], to: 'bounced' },
  /** Its delivery job gave up and an admin put the job back in the queue: delivery starts again. */
  redeliver: { from: ['failed'], to: 'queued' },
};

/** The statuses an event may move a communication from. */
export const movableBy = (event: CommunicationEvent): readonly CommunicationStatus[] => transitions[event].from;

/** The status an event moves a communication to. */
export const statusAfter = (event: CommunicationEvent): CommunicationStatus => transitions[event].to;

/** Whether the event may move a communication in this status. */
export const canMove = (event: CommunicationEvent, status: CommunicationStatus) =>
  transitions[event].from.includes(status);

/**
 * A status write, for an UPDATE of communications: the new status and the guard that makes it apply
 * only to rows the event may move, so a duplicate or late event changes nothing.
 */
export function move(event: CommunicationEvent): { status: CommunicationStatus; allowed: SQL } {
  return { status: transitions[event].to, allowed: inArray(communications.status, [...transitions[event].from]) };
}

/** The guard of `move` as an array parameter, for statements written in SQL. */
export const movableArray = (event: CommunicationEvent) => `{${transitions[event].from.join(',')}}`;

/** Not yet final and not waiting for print: delivery still has work to do on these. */
export const inDelivery: readonly CommunicationStatus[] = ['queued', 'rendered', 'handing_over'];
