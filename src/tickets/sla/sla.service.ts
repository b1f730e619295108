import { and, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Database, Executor } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { NotificationsService } from '../../notifications/notifications.service.js';
import { systemActor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { ticketQueues, tickets, type TicketKind, type TicketPriority, type TicketStatus } from '../tickets.tables.js';
import { BREACHING_SOON_MS, clockResumes, clockStops, dueTimes, resumedClock, type SlaClock } from './sla-rules.js';
import type { SlaSettingsService } from './sla-settings.service.js';
import { ticketLabel } from '../ticket-lifecycle.js';

export const SLA_CHECK_JOB = 'tickets.sla_check';

/** Tickets marked breached per transaction of the timer. */
const BREACH_BATCH = 200;

// Written out (not as parameters) so that the partial indexes on the due times match these queries.
const firstResponseOwed = sql`(${tickets.firstRespondedAt} is null and ${tickets.status} in ('new', 'open', 'pending_customer'))`;
const resolutionRunning = sql`(${tickets.status} in ('new', 'open'))`;

/** Tickets with a target not met whose due time has come, its clock running. */
export const slaOverdue = (now: Date): SQL =>
  or(
    and(firstResponseOwed, lte(tickets.firstResponseDueAt, now)),
    and(resolutionRunning, lte(tickets.resolutionDueAt, now)),
  )!;

/** Tickets with a target not met that falls due within the hour (wall time) after `now`. */
export const slaBreachingSoon = (now: Date): SQL => {
  const soon = new Date(now.getTime() + BREACHING_SOON_MS);
  return or(
    and(firstResponseOwed, gt(tickets.firstResponseDueAt, now), lte(tickets.firstResponseDueAt, soon)),
    and(resolutionRunning, gt(tickets.resolutionDueAt, now), lte(tickets.resolutionDueAt, soon)),
  )!;
};

const targets = {
  first_response: {
    words: 'first response',
    column: 'firstResponseBreachedAt',
    dueAt: tickets.firstResponseDueAt,
    breachedAt: tickets.firstResponseBreachedAt,
    running: firstResponseOwed,
  },
  resolution: {
    words: 'resolution',
    column: 'resolutionBreachedAt',
    dueAt: tickets.resolutionDueAt,
    breachedAt: tickets.resolutionBreachedAt,
    running: resolutionRunning,
  },
} as const;

type Target = keyof typeof targets;

/** The next whole minute after an instant: the SLA timer's beat. */
const nextMinute = (now: Date) => new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);

export type SlaService = ReturnType<typeof createSlaService>;

/**
 * The SLA clock of tickets: due times from the policy, the resolution clock stopping while the
 * ticket waits for the customer, and the timer that marks breaches once and tells the assignee and
 * the queue's lead.
 */
export function createSlaService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  notifications: Pick<NotificationsService, 'notify'>;
  settings: Pick<SlaSettingsService, 'policyFor' | 'calendarFor'>;
}) {
  const { db, audit, clock, queue, notifications, settings } = deps;

  /** Makes sure the timer looks again at the next minute; one job per minute whoever asks. */
  async function watch(executor: Executor) {
    const at = nextMinute(clock.now());
    const minute = at.toISOString().slice(0, 16);
    await queue.enqueue(executor, {
      kind: SLA_CHECK_JOB,
      payload: { minute },
      runAt: at,
      idempotencyKey: `${SLA_CHECK_JOB}:${minute}`,
    });
  }

  /** Whether any ticket has a target the timer still has to watch. */
  async function anythingToWatch(executor: Executor) {
    const [row] = await executor
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        or(
          and(firstResponseOwed, isNotNull(tickets.firstResponseDueAt), isNull(tickets.firstResponseBreachedAt)),
          and(resolutionRunning, isNotNull(tickets.resolutionDueAt), isNull(tickets.resolutionBreachedAt)),
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  /** Marks up to one batch of tickets whose target passed unmet; returns how many. */
  async function markBreaches(target: Target, now: Date) {
    const { words, column, dueAt, breachedAt, running } = targets[target];
    return db.transaction(async (tx) => {
      // Rows an agent is changing right now are left for the next minute rather than waited for.
      const due = tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(running, isNull(breachedAt), lte(dueAt, now)))
        .orderBy(dueAt)
        .limit(BREACH_BATCH)
        .for('update', { skipLocked: true });
      const breached = await tx
        .update(tickets)
        .set({ [column]: now })
        .where(inArray(tickets.id, due))
        .returning({
          id: tickets.id,
          number: tickets.number,
          kind: tickets.kind,
          subject: tickets.subject,
          assigneeId: tickets.assigneeId,
          queueId: tickets.queueId,
          dueAt,
        });
      const queueIds = [...new Set(breached.flatMap((ticket) => (ticket.queueId ? [ticket.queueId] : [])))];
      const leads = new Map(
        queueIds.length
          ? (
              await tx
                .select({ id: ticketQueues.id, lead: ticketQueues.leadUserId })
                .from(ticketQueues)
                .where(inArray(ticketQueues.id, queueIds))
            ).map((queueRow) => [queueRow.id, queueRow.lead])
          : [],
      );
      const actor = systemActor('SLA timer');
      for (const ticket of breached) {
        await audit.record(tx, actor, {
          action: 'ticket.sla_breached',
          entityType: 'ticket',
          entityId: ticket.id,
          summary: { number: ticket.number, target, dueAt: ticket.dueAt },
        });
        const recipients = [ticket.assigneeId, ticket.queueId ? leads.get(ticket.queueId) : null].filter(
          (userId): userId is string => Boolean(userId),
        );
        await notifications.notify(tx, recipients, {
          kind: 'ticket.sla_breached',
          title: `${ticketLabel(ticket)}: ${words} overdue`,
          body: `${ticket.subject} — the ${words} was due ${ticket.dueAt!.toISOString()}.`,
          subjectType: 'ticket',
          subjectId: ticket.id,
        });
      }
      return breached.length;
    });
  }

  async function markAll(target: Target, now: Date) {
    for (let total = 0; ;) {
      const count = await markBreaches(target, now);
      total += count;
      if (count < BREACH_BATCH) return total;
    }
  }

  return {
    watch,

    /**
     * The policy and due times of a ticket of this kind and priority opened at `createdAt`; nulls
     * when no policy matches. The resolution target also waits out time the clock already stood still.
     */
    async dueTimesFor(
      tx: Executor,
      ticket: { kind: TicketKind; priority: TicketPriority; createdAt: Date; slaPausedMinutes?: number },
    ) {
      const match = await settings.policyFor(tx, ticket);
      if (!match) return { slaPolicyId: null, firstResponseDueAt: null, resolutionDueAt: null };
      const due = dueTimes(match.calendar, match.policy, { ...ticket, slaPausedMinutes: ticket.slaPausedMinutes ?? 0 });
      await watch(tx);
      return { slaPolicyId: match.policy.id, ...due };
    },

    /**
     * The SLA columns to set with a status change, in the same update: the resolution clock stops
     * when the ticket leaves new/open and starts again, its due time moved on, when it comes back.
     */
    async onStatusChange(tx: Executor, ticket: SlaClock & { slaPolicyId: string | null }, to: TicketStatus) {
      if (clockStops(ticket.status, to)) return { slaPausedAt: clock.now() };
      if (!clockResumes(ticket.status, to) || !ticket.slaPausedAt) return {};
      const calendar = await settings.calendarFor(tx, ticket.slaPolicyId);
      if (ticket.resolutionDueAt) await watch(tx);
      return resumedClock(ticket, clock.now(), calendar);
    },

    /** The timer: marks every target that passed unmet, notifies once each, and looks again next minute. */
    async check() {
      const now = clock.now();
      const marked = {
        firstResponse: await markAll('first_response', now),
        resolution: await markAll('resolution', now),
      };
      if (await anythingToWatch(db)) await watch(db);
      return marked;
    },

    /** At start: the timer runs whenever some ticket has a target to watch. */
    async startTimer() {
      if (await anythingToWatch(db)) await watch(db);
    },
  };
}
