import type { TicketKind, TicketPriority, TicketStatus } from '../tickets.tables.js';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendarRules } from './business-time.js';

/**
 * The SLA rules as pure functions of a ticket, its policy and calendar, and the time: which policy
 * applies, when targets are due, when the resolution clock stops and starts, and what a badge says.
 */

/** A target due within this much wall time and not met is "breaching soon". */
export const BREACHING_SOON_MS = 3_600_000;

/** Statuses in which the resolution clock runs; in the others it stands still. */
export const resolutionClockRuns: readonly TicketStatus[] = ['new', 'open'];
/** Statuses in which a first response is still owed (resolving without one ends the target). */
export const firstResponseOwed: readonly TicketStatus[] = ['new', 'open', 'pending_customer'];

export type PolicyMatch = { kind: TicketKind | null; priority: TicketPriority | null };

/**
 * The policy for a ticket: one naming both its kind and priority, else one naming its priority,
 * else one naming its kind, else the catch-all. Priority outranks kind because urgency is what a
 * target promises.
 */
export function choosePolicy<P extends PolicyMatch>(
  policies: readonly P[],
  ticket: { kind: TicketKind; priority: TicketPriority },
): P | undefined {
  const rank = (policy: P) => (policy.priority ? 2 : 0) + (policy.kind ? 1 : 0);
  return policies
    .filter(
      (policy) =>
        (policy.kind === null || policy.kind === ticket.kind) &&
        (policy.priority === null || policy.priority === ticket.priority),
    )
    .sort((a, b) => rank(b) - rank(a))[0];
}

export type DueTimes = { firstResponseDueAt: Date; resolutionDueAt: Date };

/**
 * Due times counted from the ticket's creation; the resolution target also waits out the business
 * time the clock already stood still.
 */
export function dueTimes(
  calendar: BusinessCalendarRules,
  policy: { firstResponseMinutes: number; resolutionMinutes: number },
  ticket: { createdAt: Date; slaPausedMinutes: number },
): DueTimes {
  return {
    firstResponseDueAt: addBusinessMinutes(calendar, ticket.createdAt, policy.firstResponseMinutes),
    resolutionDueAt: addBusinessMinutes(calendar, ticket.createdAt, policy.resolutionMinutes + ticket.slaPausedMinutes),
  };
}

/**
 * The breach marks that still hold under new due times (a changed kind or priority): a mark stays
 * only if the new due time, too, passed before the target was met (or before now, if it was not).
 * A target the new due time puts in the past and that has no mark yet gets one from the timer.
 */
export function breachesUnder(
  due: { firstResponseDueAt: Date | null; resolutionDueAt: Date | null },
  ticket: {
    firstResponseBreachedAt: Date | null;
    resolutionBreachedAt: Date | null;
    firstRespondedAt: Date | null;
    resolvedAt: Date | null;
  },
  now: Date,
) {
  const stands = (mark: Date | null, dueAt: Date | null, metAt: Date | null) =>
    mark && dueAt && dueAt < (metAt ?? now) ? mark : null;
  return {
    firstResponseBreachedAt: stands(ticket.firstResponseBreachedAt, due.firstResponseDueAt, ticket.firstRespondedAt),
    resolutionBreachedAt: stands(ticket.resolutionBreachedAt, due.resolutionDueAt, ticket.resolvedAt),
  };
}

export type SlaClock = {
  status: TicketStatus;
  resolutionDueAt: Date | null;
  slaPausedAt: Date | null;
  slaPausedMinutes: number;
};

/** Leaving new or open stops the resolution clock. */
export const clockStops = (from: TicketStatus, to: TicketStatus) =>
  resolutionClockRuns.includes(from) && !resolutionClockRuns.includes(to);

/** Coming back to new or open starts it again. */
export const clockResumes = (from: TicketStatus, to: TicketStatus) =>
  !resolutionClockRuns.includes(from) && resolutionClockRuns.includes(to);

/**
 * The clock starting again after it stood still since `slaPausedAt`: the business time it stood
 * still is added to the resolution due time and to the total.
 */
export function resumedClock(
  ticket: SlaClock,
  now: Date,
  calendar: BusinessCalendarRules,
): Pick<SlaClock, 'resolutionDueAt' | 'slaPausedAt' | 'slaPausedMinutes'> {
  const paused = ticket.slaPausedAt ? businessMinutesBetween(calendar, ticket.slaPausedAt, now) : 0;
  return {
    slaPausedAt: null,
    slaPausedMinutes: ticket.slaPausedMinutes + paused,
    resolutionDueAt: ticket.resolutionDueAt && addBusinessMinutes(calendar, ticket.resolutionDueAt, paused),
  };
}

export const slaTargetStates = ['none', 'running', 'due_soon', 'breached', 'paused', 'met', 'met_late'] as const;
/**
 * none: no policy applied; running / due_soon (within the hour) / breached: not met yet; paused: the
 * clock stands still while the customer is asked; met / met_late: met before or after the due time.
 */
export type SlaTargetState = (typeof slaTargetStates)[number];

function targetState(dueAt: Date | null, metAt: Date | null, paused: boolean, now: Date): SlaTargetState {
  if (!dueAt) return 'none';
  if (metAt) return metAt <= dueAt ? 'met' : 'met_late';
  if (paused) return 'paused';
  if (now >= dueAt) return 'breached';
  return dueAt.getTime() - now.getTime() <= BREACHING_SOON_MS ? 'due_soon' : 'running';
}

export type SlaTicket = {
  status: TicketStatus;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
};

/**
 * Each target's state now, for the badges. The first response is met by the first public reply,
 * or ends when the ticket is resolved or closed without one; the resolution by resolving or closing.
 */
export function slaStates(ticket: SlaTicket, now: Date) {
  const done = ticket.status === 'resolved' || ticket.status === 'closed';
  const finishedAt = done ? (ticket.resolvedAt ?? ticket.closedAt) : null;
  return {
    firstResponse: targetState(ticket.firstResponseDueAt, ticket.firstRespondedAt ?? finishedAt, false, now),
    resolution: targetState(ticket.resolutionDueAt, finishedAt, !resolutionClockRuns.includes(ticket.status), now),
  };
}
