import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { apiTokens, loginFailures, sessions, users } from './auth.tables.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { newSecret, sha256Hex } from './secrets.js';

export const LOGIN_FAILURE_LIMIT = 5;
const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
export const API_TOKEN_PREFIX = 'tdg_';
const LAST_USED_PRECISION_MS = 60_000;

export type StaffUser = typeof users.$inferSelect;

const userActor = (user: StaffUser, via: 'session' | 'token'): Actor & { kind: 'user' } => ({
  kind: 'user',
  userId: user.id,
  email: user.email,
  roles: user.roles,
  via,
});

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService({
  db,
  audit,
  clock,
  sessionTtlMs,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  sessionTtlMs: number;
}) {
  async function throttleCheck(email: string) {
    const since = new Date(clock.now().getTime() - LOGIN_FAILURE_WINDOW_MS);
    const [row] = await db
      .select({ failures: count() })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, email), gt(loginFailures.at, since)));
    if ((row?.failures ?? 0) >= LOGIN_FAILURE_LIMIT) {
      throw new AppError(
        'too_many_requests',
        'auth.throttled',
        'Too many failed sign-ins for this account. Wait 15 minutes and try again.',
        [],
        { 'retry-after': String(LOGIN_FAILURE_WINDOW_MS / 1000) },
      );
    }
  }

  return {
    async login(credentials: { email: string; password: string }) {
      const email = credentials.email.trim().toLowerCase();
      await throttleCheck(email);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      const valid = await verifyPassword(credentials.password, user?.passwordHash ?? decoyHash);
      if (!user || !valid || !user.active) {
        await db.insert(loginFailures).values({ email, at: clock.now() });
        throw new AppError('unauthenticated', 'auth.invalid_credentials', 'The email or password is not correct.');
      }
      const token = newSecret();
      const csrfToken = newSecret(24);
      const expiresAt = new Date(clock.now().getTime() + sessionTtlMs);
      await db.transaction(async (tx) => {
        await tx.delete(loginFailures).where(eq(loginFailures.email, email));
        await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, clock.now())));
        await tx.insert(sessions).values({ tokenHash: sha256Hex(token), userId: user.id, csrfToken, expiresAt });
        await audit.record(tx, userActor(user, 'session'), {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
        });
      });
      return { token, csrfToken, expiresAt, user };
    },

    async logout(token: string) {
      await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
    },

    /** The actor behind a session cookie, or undefined when it is unknown, expired or its user is disabled. */
    async authenticateSession(token: string) {
      const [row] = await db
        .select({ user: users, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.tokenHash, sha256Hex(token)));
      if (!row || row.expiresAt <= clock.now() || !row.user.active) return undefined;
      return { actor: userActor(row.user, 'session'), csrfToken: row.csrfToken };
    },

    async authenticateApiToken(secret: string) {
      if (!secret.startsWith(API_TOKEN_PREFIX)) return undefined;
      const [row] = await db
        .select({ user: users, token: apiTokens })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, sha256Hex(secret)));
      const now = clock.now();
      if (!row || row.token.revokedAt || (row.token.expiresAt && row.token.expiresAt <= now) || !row.user.active) {
        return undefined;
      }
      // Every request writing the same row would queue them behind each other's commits; a minute is precise enough.
      if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
        await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
      }
      return userActor(row.user, 'token');
    },

    /** Changing the password signs the user out everywhere else. */
    async changePassword(
      actor: Actor,
      change: { currentPassword: string; newPassword: string },
      keepSessionToken?: string,
    ) {
      if (actor.kind !== 'user') throw new AppError('forbidden', 'auth.forbidden', 'Only a user has a password.');
      const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
      if (!user || !(await verifyPassword(change.currentPassword, user.passwordHash))) {
        throw new AppError('validation_failed', 'auth.wrong_password', 'The current password is not correct.', [
          { path: 'currentPassword', message: 'is not correct' },
        ]);
      }
      const passwordHash = await hashPassword(change.newPassword);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id));
        const keep = keepSessionToken ? sha256Hex(keepSessionToken) : '';
        const others = await tx
          .select({ tokenHash: sessions.tokenHash })
          .from(sessions)
          .where(eq(sessions.userId, user.id));
        for (const session of others) {
          if (session.tokenHash !== keep) await tx.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
        }
        await audit.record(tx, actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
      });
    },
  };
}
