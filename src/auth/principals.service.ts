import { performance } from 'node:perf_hooks';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor, Storage } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { teamsOfUser } from '../users/user-teams.js';
import { users } from '../users/users.tables.js';
import { apiTokens, sessions, type ApiTokenScope } from './auth.tables.js';
import { sha256Hex } from './secrets.js';

/** Where a change to who a user is or what they may do is announced, to every process. */
export const PRINCIPALS_CHANNEL = 'tidings_principals';
/** The payload that makes every process forget every principal (a team renamed, a reconnect). */
const EVERYONE = '*';
/** A token's last use is shown to the minute: every request writing its row would queue behind the others. */
const LAST_USED_PRECISION_MS = 60_000;

/** The signed-in user as /api/me shows them. */
export type PrincipalUser = {
  id: string;
  email: string;
  name: string;
  roles: (typeof users.$inferSelect)['roles'];
  active: boolean;
  teams: { id: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
};

/** Who is calling, and through what: a session cookie or an API token, each valid until `expiresAt`. */
export type Principal = { actor: Actor & { kind: 'user' }; user: PrincipalUser; expiresAt: Date } & (
  { via: 'session'; csrfToken: string } | { via: 'token'; tokenId: string; scope: ApiTokenScope }
);

type Entry = { principal: Principal; readAt: number; lastUsedAt: Date | null };

export type Principals = ReturnType<typeof createPrincipals>;

/**
 * Resolves a session cookie or an API token to its principal in one indexed statement and keeps it in
 * this process, so that a request usually costs no statement at all. Whatever changes a principal
 * (signing out, revoking a token, a new password, a user disabled, new roles or teams) calls
 * `changed` in its transaction: this process forgets the user at once and every other one when the
 * NOTIFY arrives, right after the commit. The cache is used only while notifications can be heard;
 * `freshForMs` bounds what a missed notification could cost, but nothing relies on it.
 */
export function createPrincipals({
  db,
  clock,
  listen,
  maxEntries = 10_000,
  freshForMs = 60_000,
}: {
  db: Database;
  clock: Clock;
  listen: Storage['listen'];
  maxEntries?: number;
  freshForMs?: number;
}) {
  /** Keyed by how the secret came (`session:` or `token:`) and its sha256, in order of last use. */
  const cache = new Map<string, Entry>();
  let listening = false;
  let stopListening: (() => Promise<void>) | undefined;
  const waiting = new Set<() => void>();
  /** Moves on every change heard: a read that overlapped one may hold what changed and is not kept. */
  let generation = 0;
  /** Reads over all users (the staff list's pages): any change to a user or a team ends them. */
  const everyone = new Map<string, unknown>();

  function forget(userId?: string) {
    generation++;
    everyone.clear();
    if (userId === undefined || userId === EVERYONE) return cache.clear();
    for (const [key, entry] of cache) if (entry.principal.user.id === userId) cache.delete(key);
  }

  function startListening() {
    stopListening ??= listen(PRINCIPALS_CHANNEL, forget, (now) => {
      // Whatever was announced while nobody listened is unknown: start afresh either way.
      forget();
      listening = now;
      if (!now) return;
      for (const resolve of waiting) resolve();
      waiting.clear();
    });
  }

  const userColumns = {
    id: users.id,
    email: users.email,
    name: users.name,
    roles: users.roles,
    active: users.active,
    createdAt: users.createdAt,
    updatedAt: users.updatedAt,
    teams: teamsOfUser,
  };

  const actorOf = (user: PrincipalUser, via: Principal['via']): Principal['actor'] =>
    Object.freeze({ kind: 'user', userId: user.id, email: user.email, roles: Object.freeze(user.roles), via });

  /** One statement: the session or token with its user and the user's teams, or nothing. */
  async function read(via: Principal['via'], tokenHash: string): Promise<Entry | undefined> {
    const readAt = performance.now();
    if (via === 'session') {
      const [row] = await db
        .select({ user: userColumns, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.tokenHash, tokenHash));
      if (!row?.user.active) return undefined;
      const principal: Principal = { ...row, actor: actorOf(row.user, via), via };
      return { principal, readAt, lastUsedAt: null };
    }
    const [row] = await db
      .select({ user: userColumns, token: apiTokens })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash));
    if (!row?.user.active || row.token.revokedAt) return undefined;
    const { token, user } = row;
    const principal: Principal = {
      user,
      actor: actorOf(user, via),
      via,
      expiresAt: token.expiresAt,
      tokenId: token.id,
      scope: token.scope,
    };
    return { principal, readAt, lastUsedAt: token.lastUsedAt };
  }

  async function resolve(via: Principal['via'], secret: string): Promise<Entry | undefined> {
    startListening();
    const tokenHash = sha256Hex(secret);
    const key = `${via}:${tokenHash}`;
    let entry = listening ? cache.get(key) : undefined;
    if (entry) {
      cache.delete(key);
      if (performance.now() - entry.readAt > freshForMs) entry = undefined;
      else cache.set(key, entry);
    }
    if (!entry) {
      const before = generation;
      entry = await read(via, tokenHash);
      if (!entry || entry.principal.expiresAt <= clock.now()) return undefined;
      if (listening && before === generation) {
        cache.set(key, entry);
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      }
    }
    return entry.principal.expiresAt > clock.now() ? entry : undefined;
  }

  return {
    /** The principal behind a session cookie, or undefined when it is unknown, expired or its user is disabled. */
    async session(secret: string) {
      return (await resolve('session', secret))?.principal as (Principal & { via: 'session' }) | undefined;
    },

    /** The principal behind an API token, or undefined when it is unknown, expired or revoked, or its user disabled. */
    async token(secret: string) {
      const entry = await resolve('token', secret);
      if (!entry) return undefined;
      const principal = entry.principal as Principal & { via: 'token' };
      const now = clock.now();
      if (!entry.lastUsedAt || now.getTime() - entry.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
        entry.lastUsedAt = now;
        const earlier = new Date(now.getTime() - LAST_USED_PRECISION_MS);
        // Other processes may have written it within the minute: then this one leaves it alone.
        await db
          .update(apiTokens)
          .set({ lastUsedAt: now })
          .where(
            and(
              eq(apiTokens.id, principal.tokenId),
              or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, earlier)),
            ),
          );
      }
      return principal;
    },

    /**
     * What `read` answers about all users, kept in this process until a change to any user or team
     * is heard (the same announcements as the principals'), so a staff list costs no statement.
     */
    async aboutEveryone<T>(key: string, read: () => Promise<T>): Promise<T> {
      startListening();
      if (listening && everyone.has(key)) return everyone.get(key) as T;
      const before = generation;
      const answer = await read();
      if (listening && before === generation) {
        everyone.set(key, answer);
        if (everyone.size > maxEntries) everyone.delete(everyone.keys().next().value!);
      }
      return answer;
    },

    /**
     * Announces, in the transaction that makes it, a new user or a change to a user's sessions, tokens,
     * password, name, state, roles or teams (no user: everyone's). Every process forgets what it knew once it commits.
     */
    async changed(tx: Executor, userId?: string) {
      forget(userId);
      await tx.execute(sql`select pg_notify(${PRINCIPALS_CHANNEL}, ${userId ?? EVERYONE})`);
    },

    /** Resolves once changes made by other processes are heard (at once on the embedded database). */
    listening(): Promise<void> {
      startListening();
      return listening ? Promise.resolve() : new Promise((resolve) => waiting.add(resolve));
    },

    async close() {
      listening = false;
      cache.clear();
      everyone.clear();
      await stopListening?.();
    },
  };
}
