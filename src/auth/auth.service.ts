import { and, eq, lt, ne } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database } from '../db/database.js';
import { systemActor, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import { sessions } from './auth.tables.js';
import { createLoginThrottle } from './login-throttle.js';
import { decoyHash, hashPassword, verifyPassword, type PasswordCost } from './password.js';
import type { Principals } from './principals.service.js';
import { newSecret, sha256Hex } from './secrets.js';
import { API_TOKEN_PREFIX, revokeApiTokensOf } from './tokens.service.js';

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
  principals,
  sessionTtlMs,
  passwordCost,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  principals: Pick<Principals, 'session' | 'token' | 'changed'>;
  sessionTtlMs: number;
  passwordCost: PasswordCost;
}) {
  const throttle = createLoginThrottle({ db, clock });

  /** Failed sign-ins are audited too: who was tried, from where, and why it failed. */
  async function recordFailure(email: string, address: string, user: StaffUser | undefined, reason: string) {
    await db.transaction((tx) =>
      audit.record(tx, systemActor('sign-in'), {
        action: 'auth.login_failed',
        entityType: user ? 'user' : 'login',
        entityId: user?.id ?? email,
        summary: { email, address, reason },
      }),
    );
  }

  return {
    /** `address` is the client's address: attempts are limited per account, per address and per both. */
    async login(credentials: { email: string; password: string }, address: string) {
      const email = credentials.email.trim().toLowerCase();
      await throttle.admit(email, address);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      const valid = await verifyPassword(credentials.password, user?.passwordHash ?? decoyHash);
      if (!user || !valid || !user.active) {
        await recordFailure(email, address, user, !user ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled');
        throw new AppError('unauthenticated', 'auth.invalid_credentials', 'The email or password is not correct.');
      }
      const token = newSecret();
      const csrfToken = newSecret(24);
      const expiresAt = new Date(clock.now().getTime() + sessionTtlMs);
      await db.transaction(async (tx) => {
        await throttle.succeeded(tx, email, address);
        await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, clock.now())));
        await tx.insert(sessions).values({ tokenHash: sha256Hex(token), userId: user.id, csrfToken, expiresAt });
        await audit.record(tx, userActor(user, 'session'), {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          summary: { address },
        });
      });
      return { token, csrfToken, expiresAt, user };
    },

    async logout(actor: Actor, token: string) {
      await db.transaction(async (tx) => {
        const [ended] = await tx
          .delete(sessions)
          .where(eq(sessions.tokenHash, sha256Hex(token)))
          .returning({ userId: sessions.userId });
        if (!ended) return;
        await principals.changed(tx, ended.userId);
        await audit.record(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: ended.userId });
      });
    },

    /** The principal behind a session cookie, or undefined when it is unknown, expired or its user is disabled. */
    authenticateSession: (token: string) => principals.session(token),

    /** The principal behind an API token (what it may do is its scope), or undefined when it is not valid. */
    authenticateApiToken: (secret: string) =>
      secret.startsWith(API_TOKEN_PREFIX) ? principals.token(secret) : Promise.resolve(undefined),

    /** Changing the password signs the user out everywhere else and revokes their API tokens. */
    async changePassword(
      actor: Actor,
      change: { currentPassword: string; newPassword: string },
      keepSessionToken?: string,
    ) {
      if (actor.kind !== 'user') throw new AppError('forbidden', 'auth.forbidden', 'Only a user has a password.');
      const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
      if (!user || !(await verifyPassword(change.currentPassword, user.passwordHash))) {
        throw new AppError('validation_failed', 'auth.wrong_password', 'The current password is not correct.', [
          { path: 'body.currentPassword', message: 'is not correct' },
        ]);
      }
      const passwordHash = await hashPassword(change.newPassword, passwordCost);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id));
        const keep = keepSessionToken ? sha256Hex(keepSessionToken) : '';
        await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, keep)));
        const apiTokensRevoked = await revokeApiTokensOf(tx, user.id, clock.now());
        await principals.changed(tx, user.id);
        await audit.record(tx, actor, {
          action: 'user.password_changed',
          entityType: 'user',
          entityId: user.id,
          summary: { apiTokensRevoked },
        });
      });
    },
  };
}
