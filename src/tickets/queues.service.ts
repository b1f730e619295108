import { and, asc, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize, can } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { teamMembers, teams, users } from '../users/users.tables.js';
import type { QueueInput } from './tickets.schemas.js';
import { agentAvailability, ticketQueues } from './tickets.tables.js';

export type TicketQueue = typeof ticketQueues.$inferSelect;

const invalidQueue = (path: string, message: string) =>
  new AppError('validation_failed', 'queue.invalid', `The queue is not valid: ${path} ${message}.`, [
    { path: `body.${path}`, message },
  ]);

/**
 * Who may get the next round-robin ticket of a queue: active members of its team who work tickets
 * and have not said they are away, in a fixed order so that the turn goes around.
 */
async function availableMembers(executor: Executor, teamId: string) {
  const members = await executor
    .select({ id: users.id, roles: users.roles })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .leftJoin(agentAvailability, eq(agentAvailability.userId, users.id))
    .where(
      and(eq(teamMembers.teamId, teamId), eq(users.active, true), sql`coalesce(${agentAvailability.available}, true)`),
    )
    .orderBy(asc(users.id));
  return members.filter((member) =>
    can({ kind: 'user', userId: member.id, email: '', roles: member.roles, via: 'session' }, 'tickets.work'),
  );
}

/** The member after `last` in the circle of members, or the first. */
export function nextInTurn(memberIds: readonly string[], last: string | null): string | undefined {
  if (memberIds.length === 0) return undefined;
  const after = last ? memberIds.findIndex((id) => id > last) : 0;
  return memberIds[after === -1 ? 0 : after];
}

export type QueuesService = ReturnType<typeof createQueuesService>;

/** Queues per team, the rule that assigns their tickets, and whether an agent is available. */
export function createQueuesService(deps: { db: Database; audit: Pick<AuditTrail, 'record'>; clock: Clock }) {
  const { db, audit, clock } = deps;

  async function checkReferences(executor: Executor, input: Partial<QueueInput>) {
    if (input.teamId) {
      const [team] = await executor.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
      if (!team) throw invalidQueue('teamId', `names no team (${input.teamId})`);
    }
    if (input.leadUserId) {
      const [lead] = await executor.select({ id: users.id }).from(users).where(eq(users.id, input.leadUserId));
      if (!lead) throw invalidQueue('leadUserId', `names no user (${input.leadUserId})`);
    }
    if (input.assignment === 'round_robin' && input.teamId === null)
      throw invalidQueue('assignment', 'round-robin needs a team whose members take turns');
  }

  async function get(executor: Executor, id: string) {
    const [queue] = await executor.select().from(ticketQueues).where(eq(ticketQueues.id, id));
    if (!queue) throw notFound('queue', id);
    return queue;
  }

  return {
    get,

    async list(actor: Actor) {
      authorize(actor, 'tickets.read');
      return db.select().from(ticketQueues).orderBy(asc(ticketQueues.name));
    },

    async create(actor: Actor, input: QueueInput) {
      authorize(actor, 'tickets.queues');
      return db.transaction(async (tx) => {
        await checkReferences(tx, input);
        const [queue] = await tx.insert(ticketQueues).values(input).returning();
        await audit.record(tx, actor, {
          action: 'queue.create',
          entityType: 'ticket_queue',
          entityId: queue!.id,
          summary: { name: input.name, assignment: input.assignment },
        });
        return queue!;
      });
    },

    async update(actor: Actor, id: string, input: Partial<QueueInput>) {
      authorize(actor, 'tickets.queues');
      return db.transaction(async (tx) => {
        const current = await get(tx, id);
        await checkReferences(tx, { ...input, teamId: input.teamId === undefined ? current.teamId : input.teamId });
        const [queue] = await tx.update(ticketQueues).set(input).where(eq(ticketQueues.id, id)).returning();
        await audit.record(tx, actor, {
          action: 'queue.update',
          entityType: 'ticket_queue',
          entityId: id,
          summary: input,
        });
        return queue!;
      });
    },

    /**
     * The assignee a new ticket of the queue gets: the next available member for round-robin, nobody
     * for manual queues. The queue row is locked so that two tickets at once do not go to one agent.
     */
    async assigneeFor(tx: Executor, queueId: string): Promise<string | null> {
      const [queue] = await tx.select().from(ticketQueues).where(eq(ticketQueues.id, queueId)).for('update');
      if (!queue) throw invalidQueue('queueId', `names no queue (${queueId})`);
      if (queue.assignment !== 'round_robin' || !queue.teamId) return null;
      const members = await availableMembers(tx, queue.teamId);
      const next = nextInTurn(
        members.map((member) => member.id),
        queue.lastAssignedUserId,
      );
      if (!next) return null;
      await tx.update(ticketQueues).set({ lastAssignedUserId: next }).where(eq(ticketQueues.id, queueId));
      return next;
    },

    /** Says whether the signed-in agent takes round-robin tickets now. */
    async setAvailability(actor: Actor, available: boolean) {
      authorize(actor, 'tickets.work');
      if (actor.kind !== 'user')
        throw new AppError('forbidden', 'queue.availability_staff_only', 'Only a staff member is available or away.');
      const values = { userId: actor.userId, available, updatedAt: clock.now() };
      await db
        .insert(agentAvailability)
        .values(values)
        .onConflictDoUpdate({ target: agentAvailability.userId, set: { available, updatedAt: values.updatedAt } });
      return { available };
    },

    async availability(actor: Actor) {
      if (actor.kind !== 'user') return { available: false };
      const [row] = await db.select().from(agentAvailability).where(eq(agentAvailability.userId, actor.userId));
      return { available: row?.available ?? true };
    },
  };
}
