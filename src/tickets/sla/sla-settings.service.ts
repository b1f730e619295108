import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { fieldChanges } from '../../audit/audit-changes.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import { authorize } from '../../auth/policy.js';
import type { Database, Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { TicketKind, TicketPriority } from '../tickets.tables.js';
import { choosePolicy } from './sla-rules.js';
import type { CalendarInput, CalendarPatch, PolicyInput, PolicyPatch } from './sla.schemas.js';
import { businessCalendars, slaPolicies } from './sla.tables.js';

export type BusinessCalendar = typeof businessCalendars.$inferSelect;
export type SlaPolicy = typeof slaPolicies.$inferSelect;

const invalid = (what: string, path: string, message: string) =>
  new AppError(
    'validation_failed',
    `${what}.invalid`,
    `The ${what.replace('_', ' ')} is not valid: ${path} ${message}.`,
    [{ path: `body.${path}`, message }],
  );

type Match = { kind: TicketKind | null; priority: TicketPriority | null };

const matchWords = (policy: Match) =>
  `tickets of ${policy.kind ? `kind ${policy.kind}` : 'any kind'} and ${policy.priority ? `priority ${policy.priority}` : 'any priority'}`;

export type SlaSettingsService = ReturnType<typeof createSlaSettingsService>;

/**
 * The business calendars and SLA policies managers keep. A policy change applies to tickets opened
 * after it and to tickets whose kind or priority changes; due times already set stay.
 */
export function createSlaSettingsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  async function calendar(executor: Executor, id: string) {
    const [row] = await executor.select().from(businessCalendars).where(eq(businessCalendars.id, id));
    if (!row) throw notFound('calendar', id);
    return row;
  }

  async function defaultCalendar(executor: Executor) {
    const [row] = await executor.select().from(businessCalendars).where(eq(businessCalendars.isDefault, true));
    if (!row) throw new AppError('conflict', 'sla.no_default_calendar', 'No business calendar is the default.');
    return row;
  }

  async function policy(executor: Executor, id: string) {
    const [row] = await executor.select().from(slaPolicies).where(eq(slaPolicies.id, id));
    if (!row) throw notFound('SLA policy', id);
    return row;
  }

  /** Another calendar is the default now: the former one stops being it, in the same transaction. */
  async function takeDefault(tx: Executor, id: string) {
    await tx
      .update(businessCalendars)
      .set({ isDefault: false })
      .where(and(eq(businessCalendars.isDefault, true), ne(businessCalendars.id, id)));
  }

  async function checkCalendarName(tx: Executor, name: string, id?: string) {
    const [taken] = await tx
      .select({ id: businessCalendars.id })
      .from(businessCalendars)
      .where(and(eq(businessCalendars.name, name), id ? ne(businessCalendars.id, id) : undefined));
    if (taken)
      throw new AppError('conflict', 'sla_calendar.name_taken', `A calendar named ${name} already exists.`, [
        { path: 'body.name', message: 'is already taken' },
      ]);
  }

  async function checkPolicy(tx: Executor, input: Match & { calendarId?: string }, id?: string) {
    if (input.calendarId) {
      const [known] = await tx
        .select({ id: businessCalendars.id })
        .from(businessCalendars)
        .where(eq(businessCalendars.id, input.calendarId));
      if (!known) throw invalid('sla_policy', 'calendarId', `names no calendar (${input.calendarId})`);
    }
    const [same] = await tx
      .select({ name: slaPolicies.name })
      .from(slaPolicies)
      .where(
        and(
          input.kind ? eq(slaPolicies.kind, input.kind) : isNull(slaPolicies.kind),
          input.priority ? eq(slaPolicies.priority, input.priority) : isNull(slaPolicies.priority),
          id ? ne(slaPolicies.id, id) : undefined,
        ),
      );
    if (same)
      throw new AppError(
        'conflict',
        'sla_policy.duplicate',
        `The policy “${same.name}” already covers ${matchWords(input)}; change that one instead.`,
        [{ path: 'body.kind', message: 'is already covered, with this priority, by another policy' }],
      );
  }

  return {
    async listCalendars(actor: Actor) {
      authorize(actor, 'tickets.read');
      return db.select().from(businessCalendars).orderBy(asc(businessCalendars.name));
    },

    async createCalendar(actor: Actor, input: CalendarInput) {
      authorize(actor, 'sla.manage');
      return db.transaction(async (tx) => {
        await checkCalendarName(tx, input.name);
        const now = clock.now();
        const [created] = await tx
          .insert(businessCalendars)
          .values({ ...input, createdAt: now, updatedAt: now })
          .returning();
        if (input.isDefault) await takeDefault(tx, created!.id);
        await audit.record(tx, actor, {
          action: 'sla_calendar.create',
          entityType: 'business_calendar',
          entityId: created!.id,
          summary: { name: input.name, timeZone: input.timeZone, isDefault: input.isDefault },
        });
        return created!;
      });
    },

    async updateCalendar(actor: Actor, id: string, patch: CalendarPatch) {
      authorize(actor, 'sla.manage');
      return db.transaction(async (tx) => {
        const before = await calendar(tx, id);
        if (patch.isDefault === false && before.isDefault)
          throw invalid('sla_calendar', 'isDefault', 'cannot be unset; make another calendar the default instead');
        if (patch.name) await checkCalendarName(tx, patch.name, id);
        if (patch.isDefault) await takeDefault(tx, id);
        const [after] = await tx
          .update(businessCalendars)
          .set({ ...patch, updatedAt: clock.now() })
          .where(eq(businessCalendars.id, id))
          .returning();
        const { createdAt: _c, updatedAt: _u, ...was } = before;
        const { createdAt: _c2, updatedAt: _u2, ...is } = after!;
        await audit.record(tx, actor, {
          action: 'sla_calendar.update',
          entityType: 'business_calendar',
          entityId: id,
          summary: { name: after!.name, changes: fieldChanges(was, is) },
        });
        return after!;
      });
    },

    async deleteCalendar(actor: Actor, id: string) {
      authorize(actor, 'sla.manage');
      await db.transaction(async (tx) => {
        const row = await calendar(tx, id);
        if (row.isDefault)
          throw new AppError(
            'conflict',
            'sla_calendar.default',
            `${row.name} is the default calendar; make another the default first.`,
          );
        const [user] = await tx
          .select({ name: slaPolicies.name })
          .from(slaPolicies)
          .where(eq(slaPolicies.calendarId, id))
          .limit(1);
        if (user)
          throw new AppError(
            'conflict',
            'sla_calendar.in_use',
            `The policy “${user.name}” counts in ${row.name}; give it another calendar first.`,
          );
        await tx.delete(businessCalendars).where(eq(businessCalendars.id, id));
        await audit.record(tx, actor, {
          action: 'sla_calendar.delete',
          entityType: 'business_calendar',
          entityId: id,
          summary: { name: row.name },
        });
      });
    },

    async listPolicies(actor: Actor) {
      authorize(actor, 'tickets.read');
      return db
        .select()
        .from(slaPolicies)
        .orderBy(
          sql`${slaPolicies.kind} nulls last`,
          sql`${slaPolicies.priority} nulls last`,
          asc(slaPolicies.name),
          asc(slaPolicies.id),
        );
    },

    async createPolicy(actor: Actor, input: PolicyInput) {
      authorize(actor, 'sla.manage');
      return db.transaction(async (tx) => {
        await checkPolicy(tx, input);
        const calendarId = input.calendarId ?? (await defaultCalendar(tx)).id;
        const now = clock.now();
        const [created] = await tx
          .insert(slaPolicies)
          .values({ ...input, calendarId, createdAt: now, updatedAt: now })
          .returning();
        await audit.record(tx, actor, {
          action: 'sla_policy.create',
          entityType: 'sla_policy',
          entityId: created!.id,
          summary: {
            name: input.name,
            kind: input.kind,
            priority: input.priority,
            firstResponseMinutes: input.firstResponseMinutes,
            resolutionMinutes: input.resolutionMinutes,
            calendarId,
          },
        });
        return created!;
      });
    },

    async updatePolicy(actor: Actor, id: string, patch: PolicyPatch) {
      authorize(actor, 'sla.manage');
      return db.transaction(async (tx) => {
        const before = await policy(tx, id);
        await checkPolicy(tx, { ...before, ...patch }, id);
        const [after] = await tx
          .update(slaPolicies)
          .set({ ...patch, updatedAt: clock.now() })
          .where(eq(slaPolicies.id, id))
          .returning();
        const { createdAt: _c, updatedAt: _u, ...was } = before;
        const { createdAt: _c2, updatedAt: _u2, ...is } = after!;
        await audit.record(tx, actor, {
          action: 'sla_policy.update',
          entityType: 'sla_policy',
          entityId: id,
          summary: { name: after!.name, changes: fieldChanges(was, is) },
        });
        return after!;
      });
    },

    /** Tickets keep the due times the policy gave them. */
    async deletePolicy(actor: Actor, id: string) {
      authorize(actor, 'sla.manage');
      await db.transaction(async (tx) => {
        const row = await policy(tx, id);
        await tx.delete(slaPolicies).where(eq(slaPolicies.id, id));
        await audit.record(tx, actor, {
          action: 'sla_policy.delete',
          entityType: 'sla_policy',
          entityId: id,
          summary: { name: row.name, kind: row.kind, priority: row.priority },
        });
      });
    },

    /** The policy that applies to a ticket of this kind and priority, with its calendar; none without a match. */
    async policyFor(executor: Executor, ticket: { kind: TicketKind; priority: TicketPriority }) {
      const rows = await executor
        .select({ policy: slaPolicies, calendar: businessCalendars })
        .from(slaPolicies)
        .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
        .where(
          and(
            sql`(${slaPolicies.kind} is null or ${slaPolicies.kind} = ${ticket.kind})`,
            sql`(${slaPolicies.priority} is null or ${slaPolicies.priority} = ${ticket.priority})`,
          ),
        );
      const chosen = choosePolicy(
        rows.map((row) => ({ ...row, kind: row.policy.kind, priority: row.policy.priority })),
        ticket,
      );
      return chosen && { policy: chosen.policy, calendar: chosen.calendar };
    },

    /** The calendar a ticket's clock counts in: its policy's, or the default once the policy is gone. */
    async calendarFor(executor: Executor, policyId: string | null) {
      if (policyId) {
        const [row] = await executor
          .select({ calendar: businessCalendars })
          .from(slaPolicies)
          .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
          .where(eq(slaPolicies.id, policyId));
        if (row) return row.calendar;
      }
      return defaultCalendar(executor);
    },
  };
}
