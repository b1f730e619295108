import { AppError } from '../shared/errors.js';
import type { TicketKind, TicketStatus } from './tickets.tables.js';

const kindWords: Record<TicketKind, string> = { request: 'Request', inquiry: 'Inquiry', complaint: 'Complaint' };

/** How titles, notices and the timeline name a ticket: "Complaint #42". */
export const ticketLabel = (ticket: { kind: TicketKind; number: number }) =>
  `${kindWords[ticket.kind]} #${ticket.number}`;

export const ticketActions = ['open', 'wait_for_customer', 'resolve', 'close', 'reopen'] as const;
export type TicketAction = (typeof ticketActions)[number];

/**
 * new → open → pending customer ⇄ open → resolved → closed. A reply from the customer reopens a
 * ticket that waits for them or was resolved or closed; an agent may resolve at any point before
 * closing.
 */
const transitions: Record<TicketAction, { from: TicketStatus[]; to: TicketStatus }> = {
  open: { from: ['new'], to: 'open' },
  wait_for_customer: { from: ['new', 'open'], to: 'pending_customer' },
  resolve: { from: ['new', 'open', 'pending_customer'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['pending_customer', 'resolved', 'closed'], to: 'open' },
};

const statusWords: Record<TicketStatus, string> = {
  new: 'new',
  open: 'open',
  pending_customer: 'pending the customer',
  resolved: 'resolved',
  closed: 'closed',
};

export const describeStatus = (status: TicketStatus) => statusWords[status];

/** Whether the action applies to a ticket in this status (the UI offers only these). */
export const canTake = (action: TicketAction, status: TicketStatus) => transitions[action].from.includes(status);

/** The actions a ticket in this status offers, in the order the UI shows them. */
export const actionsFrom = (status: TicketStatus) => ticketActions.filter((action) => canTake(action, status));

/** The status a ticket moves to, or the reason it may not. */
export function nextTicketStatus(action: TicketAction, ticket: { status: TicketStatus; number: number }): TicketStatus {
  const transition = transitions[action];
  if (!transition.from.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      'ticket.wrong_status',
      `Ticket ${ticket.number} is ${statusWords[ticket.status]}; "${action.replaceAll('_', ' ')}" applies only to a ticket that is ${transition.from.map((status) => statusWords[status]).join(' or ')}.`,
    );
  }
  return transition.to;
}

/**
 * What a message from the customer does to the ticket's status: a ticket waiting for them, resolved
 * or closed opens again; a new or open one stays as it is.
 */
export const statusAfterCustomerMessage = (status: TicketStatus): TicketStatus =>
  canTake('reopen', status) ? 'open' : status;

/** What a public reply by an agent does: a new ticket is being worked on. */
export const statusAfterReply = (status: TicketStatus): TicketStatus => (status === 'new' ? 'open' : status);
