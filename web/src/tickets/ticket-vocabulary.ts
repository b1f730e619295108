import type { SlaTargetState } from '../../../src/tickets/sla/sla-rules.js';
import type { TicketAction } from '../../../src/tickets/ticket-lifecycle.js';
import type {
  TicketKind,
  TicketMessageKind,
  TicketPriority,
  TicketSource,
  TicketStatus,
} from '../../../src/tickets/tickets.tables.js';
import { labelsOf } from '../ui/vocabulary.js';

export type { SlaTargetState, TicketAction, TicketKind, TicketMessageKind, TicketPriority, TicketSource, TicketStatus };

// Labels keyed by the server's own unions: a value added there fails the type check here.
export const ticketKinds = ['request', 'inquiry', 'complaint'] as const;
export const kindLabels: Record<TicketKind, string> = labelsOf(ticketKinds);

export const ticketStatuses = ['new', 'open', 'pending_customer', 'resolved', 'closed'] as const;
export const statusLabels: Record<TicketStatus, string> = labelsOf(ticketStatuses, {
  pending_customer: 'Pending customer',
});

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const priorityLabels: Record<TicketPriority, string> = labelsOf(ticketPriorities);

export const ticketSources = ['phone', 'email', 'letter_scan', 'portal', 'api'] as const;
export const sourceLabels: Record<TicketSource, string> = labelsOf(ticketSources, {
  letter_scan: 'Letter (scanned)',
  api: 'API',
});

/** The buttons of a ticket's status changes, in the words of what they do. */
export const actionLabels: Record<TicketAction, string> = {
  open: 'Start work',
  wait_for_customer: 'Wait for customer',
  resolve: 'Resolve',
  close: 'Close',
  reopen: 'Reopen',
};

export const messageKindLabels: Record<TicketMessageKind, string> = {
  customer: 'Customer',
  reply: 'Reply',
  note: 'Internal note',
};

export const slaLabels: Record<SlaTargetState, string> = {
  none: 'No SLA',
  running: 'On track',
  due_soon: 'Due soon',
  breached: 'Breached',
  paused: 'Paused',
  met: 'Met',
  met_late: 'Met late',
};

/** The inbox's views, in the order of its tabs. */
export const inboxViews = ['mine', 'team', 'unassigned', 'breaching', 'all'] as const;
export type InboxView = (typeof inboxViews)[number];
export const viewLabels: Record<InboxView, string> = {
  mine: 'Mine',
  team: 'My teams',
  unassigned: 'Unassigned',
  breaching: 'Breaching soon',
  all: 'All open',
};
