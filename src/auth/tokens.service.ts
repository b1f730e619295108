import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { apiTokens, users } from './auth.tables.js';
import { API_TOKEN_PREFIX } from './auth.service.js';
import { can } from './policy.js';
import { newSecret, sha256Hex } from './secrets.js';

const requireUser = (actor: Actor) => {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'auth.forbidden', 'API tokens belong to users.');
  return actor;
};

export type TokensService = ReturnType<typeof createTokensService>;

export function createTokensService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  const columns = {
    id: apiTokens.id,
    name: apiTokens.name,
    prefix: apiTokens.prefix,
    userId: apiTokens.userId,
    userEmail: users.email,
    createdAt: apiTokens.createdAt,
    expiresAt: apiTokens.expiresAt,
    lastUsedAt: apiTokens.lastUsedAt,
  };

  return {
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
    async create(actor: Actor, input: { name: string; expiresAt?: Date }) {
      const user = requireUser(actor);
      const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
      return db.transaction(async (tx) => {
        const [token] = await tx
          .insert(apiTokens)
          .values({
            userId: user.userId,
            name: input.name,
            prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
            tokenHash: sha256Hex(secret),
            expiresAt: input.expiresAt,
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'api_token.created',
          entityType: 'api_token',
          entityId: token!.id,
          summary: { name: input.name, expiresAt: input.expiresAt?.toISOString() ?? null },
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
