import { describe, expect, it } from 'vitest';
import { communicationStatuses, finalStatuses } from '../../src/communications/communications.tables.js';
import {
  canMove,
  communicationEvents,
  inDelivery,
  statusAfter,
  type CommunicationEvent,
} from '../../src/communications/lifecycle.js';

/** Every status an event may move a communication from, as "status → status". */
const moves = (event: CommunicationEvent) =>
  communicationStatuses.filter((status) => canMove(event, status)).map((status) => `${status} → ${statusAfter(event)}`);

describe('the communication lifecycle', () => {
  it('moves a communication only along its table of transitions', () => {
    expect(Object.fromEntries(communicationEvents.map((event) => [event, moves(event)]))).toEqual({
      hand_over: ['queued → handing_over', 'rendered → handing_over', 'handing_over → handing_over'],
      sent: ['handing_over → sent'],
      queue_for_print: ['handing_over → awaiting_print'],
      printed: ['awaiting_print → sent'],
      delivered: ['sent → delivered'],
      retry_later: ['handing_over → rendered'],
      fall_back: ['handing_over → queued', 'sent → queued'],
      suppress: ['queued → suppressed', 'rendered → suppressed', 'handing_over → suppressed'],
      fail: ['queued → failed', 'rendered → failed', 'handing_over → failed'],
      bounce: ['queued → bounced'],
      redeliver: ['failed → queued'],
    });
  });

  it('hands nothing over twice unless the last hand-over of that copy was interrupted', () => {
    expect(communicationStatuses.filter((status) => canMove('hand_over', status))).not.toContain('sent');
    expect(canMove('hand_over', 'awaiting_print')).toBe(false);
    expect(canMove('hand_over', 'handing_over')).toBe(true);
  });

  it('ends delivery in a final status: nothing but a receipt or a bounce moves one', () => {
    const movedByDelivery: CommunicationEvent[] = ['hand_over', 'retry_later', 'suppress', 'fail', 'bounce', 'sent'];
    for (const status of finalStatuses)
      for (const event of movedByDelivery) expect(canMove(event, status), `${event} from ${status}`).toBe(false);
    expect(finalStatuses.filter((status) => canMove('delivered', status) || canMove('fall_back', status))).toEqual([
      'sent',
    ]);
  });

  it('reaches every status, and every status but a final one or the print queue is still in delivery', () => {
    const reached = new Set(['queued', ...communicationEvents.map(statusAfter)]);
    expect([...reached].sort()).toEqual([...communicationStatuses].sort());
    expect(
      communicationStatuses.filter((status) => !finalStatuses.includes(status) && status !== 'awaiting_print'),
    ).toEqual([...inDelivery]);
  });
});
