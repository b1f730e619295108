import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import { apiTokens, type ApiTokenScope } from './auth.tables.js';
import { can } from './policy.js';
import type { Principals } from './principals.service.js';
import { newSecret, sha256Hex } from './secrets.js';

export const API_TOKEN_PREFIX = 'tdg_';
const DAY_MS = 86_400_000;

const requireUser = (actor: Actor) => {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'auth.forbidden', 'API tokens belong to users.');
  return actor;
};

/**
 * Revokes every active token of a user, inside the caller's transaction; a new password means the
 * tokens made under the old one stop working too. Returns how many were revoked, for the audit event.
 */
export async function revokeApiTokensOf(tx: Executor, userId: string, at: Date): Promise<number> {
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length;
}

export type TokensService = ReturnType<typeof createTokensService>;

export function createTokensService({
  db,
  audit,
  clock,
  principals,
  maxLifeDays,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  principals: Pick<Principals, 'changed'>;
  /** The longest a token may live; a token without an expiry gets exactly this. */
  maxLifeDays: number;
}) {
  const columns = {
    id: apiTokens.id,
    name: apiTokens.name,
    prefix: apiTokens.prefix,
    scope: apiTokens.scope,
    userId: apiTokens.userId,
    userEmail: users.email,
    createdAt: apiTokens.createdAt,
    expiresAt: apiTokens.expiresAt,
    lastUsedAt: apiTokens.lastUsedAt,
  };

  function expiryOf(requested: Date | undefined): Date {
    const now = clock.now();
    const latest = new Date(now.getTime() + maxLifeDays * DAY_MS);
    if (requested === undefined) return latest;
    if (requested <= now)
      throw new AppError('validation_failed', 'api_token.expiry_past', 'The expiry must be in the future.', [
        { path: 'body.expiresAt', message: 'must be in the future' },
      ]);
    if (requested > latest)
      throw new AppError(
        'validation_failed',
        'api_token.expiry_too_late',
        `An API token lives at most ${maxLifeDays} days: expire it by ${latest.toISOString()}.`,
        [{ path: 'body.expiresAt', message: `must be at most ${maxLifeDays} days from now` }],
      );
    return requested;
  }

  return {
    maxLifeDays,

    /** Active tokens: the actor's own, or everyone's for an admin who asks for all. */
    async list(actor: Actor, { all }: { all: boolean }) {
      const user = requireUser(actor);
      const everyone = all && can(actor, 'tokens.manage_all');
      return db
        .select(columns)
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(isNull(apiTokens.revokedAt), everyone ? undefined : eq(apiTokens.userId, user.userId)))
        .orderBy(desc(apiTokens.createdAt));
    },

    /** Creates a token acting as the actor. The secret is returned here once and never again. */
    async create(actor: Actor, input: { name: string; scope: ApiTokenScope; expiresAt?: Date }) {
      const user = requireUser(actor);
      const expiresAt = expiryOf(input.expiresAt);
      const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
      return db.transaction(async (tx) => {
        const [token] = await tx
          .insert(apiTokens)
          .values({
            userId: user.userId,
            name: input.name,
            prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
            tokenHash: sha256Hex(secret),
            scope: input.scope,
            expiresAt,
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'api_token.created',
          entityType: 'api_token',
          entityId: token!.id,
          summary: { name: input.name, scope: input.scope, expiresAt: expiresAt.toISOString() },
        });
        return { ...token!, userEmail: user.email, secret };
      });
    },

    async revoke(actor: Actor, id: string) {
      const user = requireUser(actor);
      await db.transaction(async (tx) => {
        const [token] = await tx
          .select()
          .from(apiTokens)
          .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
        if (!token || (token.userId !== user.userId && !can(actor, 'tokens.manage_all')))
          throw notFound('api_token', id);
        await tx.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, id));
        await principals.changed(tx, token.userId);
        await audit.record(tx, actor, {
          action: 'api_token.revoked',
          entityType: 'api_token',
          entityId: id,
          summary: { name: token.name },
        });
      });
    },
  };
}
