import { asc, eq, inArray } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { teamMembers, teams, users } from './users.tables.js';
import { authorize } from '../auth/policy.js';
import type { Principals } from '../auth/principals.service.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError, notFound } from '../shared/errors.js';

export type TeamInput = { name: string; description?: string; memberIds?: string[] };

export type TeamsService = ReturnType<typeof createTeamsService>;

export function createTeamsService({
  db,
  audit,
  principals,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  principals: Pick<Principals, 'changed'>;
}) {
  async function membersOf(executor: Executor, teamIds: string[]) {
    const rows = teamIds.length
      ? await executor
          .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, email: users.email })
          .from(teamMembers)
          .innerJoin(users, eq(users.id, teamMembers.userId))
          .where(inArray(teamMembers.teamId, teamIds))
          .orderBy(asc(users.name))
      : [];
    const byTeam = new Map<string, { id: string; name: string; email: string }[]>();
    for (const { teamId, ...member } of rows) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), member]);
    return byTeam;
  }

  async function get(executor: Executor, id: string) {
    const [team] = await executor.select().from(teams).where(eq(teams.id, id));
    if (!team) throw notFound('team', id);
    return { ...team, members: (await membersOf(executor, [id])).get(id) ?? [] };
  }

  async function setMembers(tx: Executor, teamId: string, memberIds: string[]) {
    const unique = [...new Set(memberIds)];
    if (unique.length) {
      const known = await tx.select({ id: users.id }).from(users).where(inArray(users.id, unique));
      const missing = unique.filter((id) => !known.some((user) => user.id === id));
      if (missing.length) {
        throw new AppError('validation_failed', 'team.unknown_member', `No user with id ${missing.join(', ')}.`, [
          { path: 'body.memberIds', message: `unknown user ${missing[0]}` },
        ]);
      }
    }
    await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
    if (unique.length) await tx.insert(teamMembers).values(unique.map((userId) => ({ teamId, userId })));
  }

  const nameTaken = (name: string) =>
    new AppError('conflict', 'team.name_taken', `A team named ${name} already exists.`, [
      { path: 'body.name', message: 'is already taken' },
    ]);

  return {
    async list() {
      const all = await db.select().from(teams).orderBy(asc(teams.name));
      const members = await membersOf(
        db,
        all.map((team) => team.id),
      );
      return all.map((team) => ({ ...team, members: members.get(team.id) ?? [] }));
    },

    async create(actor: Actor, input: TeamInput) {
      authorize(actor, 'teams.manage');
      return db.transaction(async (tx) => {
        const [team] = await tx
          .insert(teams)
          .values({ name: input.name, description: input.description ?? '' })
          .onConflictDoNothing()
          .returning();
        if (!team) throw nameTaken(input.name);
        await setMembers(tx, team.id, input.memberIds ?? []);
        // A signed-in user's teams are part of who they are: team changes are rare, so everyone is read afresh.
        await principals.changed(tx);
        await audit.record(tx, actor, {
          action: 'team.created',
          entityType: 'team',
          entityId: team.id,
          summary: { name: input.name, memberIds: input.memberIds ?? [] },
        });
        return get(tx, team.id);
      });
    },

    async update(actor: Actor, id: string, change: Partial<TeamInput>) {
      authorize(actor, 'teams.manage');
      return db.transaction(async (tx) => {
        const before = await get(tx, id);
        if (change.name && change.name !== before.name) {
          const [clash] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.name, change.name));
          if (clash) throw nameTaken(change.name);
        }
        // A change of members alone leaves the team's row as it is (an UPDATE must set something).
        if (change.name !== undefined || change.description !== undefined)
          await tx.update(teams).set({ name: change.name, description: change.description }).where(eq(teams.id, id));
        if (change.memberIds) await setMembers(tx, id, change.memberIds);
        await principals.changed(tx);
        await audit.record(tx, actor, { action: 'team.updated', entityType: 'team', entityId: id, summary: change });
        return get(tx, id);
      });
    },

    async remove(actor: Actor, id: string) {
      authorize(actor, 'teams.manage');
      await db.transaction(async (tx) => {
        const team = await get(tx, id);
        await tx.delete(teams).where(eq(teams.id, id));
        await principals.changed(tx);
        await audit.record(tx, actor, {
          action: 'team.deleted',
          entityType: 'team',
          entityId: id,
          summary: { name: team.name },
        });
      });
    },
  };
}
