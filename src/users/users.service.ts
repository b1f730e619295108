import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { sessions } from '../auth/auth.tables.js';
import { hashPassword, type PasswordCost } from '../auth/password.js';
import { authorize } from '../auth/policy.js';
import type { Principals } from '../auth/principals.service.js';
import { revokeApiTokensOf } from '../auth/tokens.service.js';
import type { Role } from '../auth/roles.js';
import { isUniqueViolation, type Database, type Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { teamsOfUser } from './user-teams.js';
import type { ListUsersQuery } from './users.schemas.js';
import { teamMembers, teams, users } from './users.tables.js';

export type NewUser = { email: string; name: string; password: string; roles: Role[] };
export type UserChange = { name?: string; roles?: Role[]; active?: boolean; password?: string };

export type UsersService = ReturnType<typeof createUsersService>;

const byName = keyset(
  [
    { expression: users.name, type: 'text' },
    { expression: users.id, type: 'uuid' },
  ],
  'asc',
);

// A list never reads the password hash; each user's teams come in the same statement, as JSON.
const { passwordHash: _passwordHash, ...listedColumns } = getTableColumns(users);

export function createUsersService({
  db,
  audit,
  clock,
  principals,
  passwordCost,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  principals: Pick<Principals, 'changed' | 'aboutEveryone'>;
  passwordCost: PasswordCost;
}) {
  async function teamsOf(executor: Executor, userIds: string[]) {
    if (userIds.length === 0) return new Map<string, { id: string; name: string }[]>();
    const rows = await executor
      .select({ userId: teamMembers.userId, id: teams.id, name: teams.name })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(inArray(teamMembers.userId, userIds))
      .orderBy(asc(teams.name));
    const byUser = new Map<string, { id: string; name: string }[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), { id: row.id, name: row.name }]);
    return byUser;
  }

  async function withTeams(executor: Executor, list: (typeof users.$inferSelect)[]) {
    const teamsByUser = await teamsOf(
      executor,
      list.map((user) => user.id),
    );
    return list.map((user) => ({ ...user, teams: teamsByUser.get(user.id) ?? [] }));
  }

  async function get(executor: Executor, id: string) {
    const [user] = await executor.select().from(users).where(eq(users.id, id));
    if (!user) throw notFound('user', id);
    const [shaped] = await withTeams(executor, [user]);
    return shaped!;
  }

  return {
    /** Every user by name, for the CLI and the demo seed; HTTP pages through `page`. */
    async list(actor: Actor) {
      authorize(actor, 'users.read');
      return db
        .select({ ...listedColumns, teams: teamsOfUser })
        .from(users)
        .orderBy(...byName.orderBy);
    },

    /**
     * One page of users by name, with their teams: one statement whatever the number of users, and
     * none while no user or team has changed since this process read the page.
     */
    async page(actor: Actor, query: ListUsersQuery) {
      authorize(actor, 'users.read');
      return principals.aboutEveryone(`users:${query.limit}:${query.cursor ?? ''}`, async () => {
        const found = await db
          .select({ ...listedColumns, teams: teamsOfUser, position: byName.position })
          .from(users)
          .where(byName.after(query.cursor))
          .orderBy(...byName.orderBy)
          .limit(query.limit + 1);
        const page = byName.page(found, query.limit);
        return { users: page.rows, nextCursor: page.nextCursor };
      });
    },

    get(actor: Actor, id: string) {
      authorize(actor, 'users.read');
      return get(db, id);
    },

    async create(actor: Actor, input: NewUser) {
      authorize(actor, 'users.manage');
      const email = input.email.trim().toLowerCase();
      const passwordHash = await hashPassword(input.password, passwordCost);
      try {
        return await db.transaction(async (tx) => {
          const [user] = await tx
            .insert(users)
            .values({ email, name: input.name, roles: input.roles, passwordHash })
            .returning();
          await audit.record(tx, actor, {
            action: 'user.created',
            entityType: 'user',
            entityId: user!.id,
            summary: { email, name: input.name, roles: input.roles },
          });
          // The staff list every process keeps shows the newcomer.
          await principals.changed(tx, user!.id);
          return get(tx, user!.id);
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('conflict', 'user.email_taken', `A user with email ${email} already exists.`, [
            { path: 'body.email', message: 'is already taken' },
          ]);
        }
        throw error;
      }
    },

    /** Disabling a user or resetting their password ends their sessions; a reset also revokes their API tokens. */
    async update(actor: Actor, id: string, change: UserChange) {
      authorize(actor, 'users.manage');
      if (
        actor.kind === 'user' &&
        actor.userId === id &&
        (change.active === false || (change.roles && !change.roles.includes('admin')))
      ) {
        throw new AppError(
          'conflict',
          'user.self_lockout',
          'You cannot disable yourself or remove your own admin role.',
        );
      }
      const passwordHash = change.password ? await hashPassword(change.password, passwordCost) : undefined;
      return db.transaction(async (tx) => {
        const before = await get(tx, id);
        await tx
          .update(users)
          .set({
            name: change.name,
            roles: change.roles,
            active: change.active,
            passwordHash,
            passwordChangedAt: passwordHash ? clock.now() : undefined,
            updatedAt: clock.now(),
          })
          .where(eq(users.id, id));
        if (change.active === false || passwordHash) await tx.delete(sessions).where(eq(sessions.userId, id));
        const apiTokensRevoked = passwordHash ? await revokeApiTokensOf(tx, id, clock.now()) : 0;
        // Signed-in sessions and tokens carry the name, roles and state: every process reads them afresh.
        await principals.changed(tx, id);
        const summary: Record<string, unknown> = {};
        if (change.name !== undefined && change.name !== before.name)
          summary.name = { from: before.name, to: change.name };
        if (change.roles) summary.roles = { from: before.roles, to: change.roles };
        if (change.active !== undefined && change.active !== before.active) summary.active = change.active;
        if (passwordHash) Object.assign(summary, { password: 'reset', apiTokensRevoked });
        await audit.record(tx, actor, { action: 'user.updated', entityType: 'user', entityId: id, summary });
        return get(tx, id);
      });
    },

    /** True when no user exists yet: the first start creates the admin. */
    async isEmpty(executor: Executor = db) {
      const [row] = await executor.select({ n: sql<number>`count(*)::int` }).from(users);
      return row!.n === 0;
    },
  };
}
