import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { loginThrottles } from './auth.tables.js';

/**
 * Failed sign-ins allowed per key before it backs off. One place guessing one account's password is
 * stopped soonest; the owner signing in from elsewhere is only slowed once many places guess at it.
 */
export const loginLimits = {
  /** One client address guessing one account. */
  accountAtAddress: 5,
  /** One client address trying many accounts. */
  address: 30,
  /** Many addresses guessing one account. */
  account: 20,
} as const;

/** The first wait after a key reaches its limit; each further failure doubles it, up to the longest. */
export const FIRST_BACKOFF_MS = 30_000;
export const LONGEST_BACKOFF_MS = 15 * 60_000;
/** A key left alone this long starts counting from zero again. */
const QUIET_RESET_MS = 60 * 60_000;

/** A key attempts are counted by, and how many it may make before it backs off. */
export type ThrottleKey = { key: string; limit: number };

/**
 * Counts the attempt against one key and says whether it may go on, in one statement: the row lock
 * of the upsert orders parallel attempts, and a blocked key's row is left unchanged (no row returned).
 * The attempt that reaches the limit sets the wait, which doubles with every failure after it.
 */
async function count(db: Database, { key, limit }: ThrottleKey, now: Date): Promise<boolean> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const quietSince = sql`${new Date(now.getTime() - QUIET_RESET_MS).toISOString()}::timestamptz`;
  const failures = sql`(case when ${loginThrottles.lastAttemptAt} < ${quietSince} then 1 else ${loginThrottles.failures} + 1 end)`;
  const blockedUntil = (n: unknown) =>
    sql`case when ${n} >= ${limit} then ${at} + least(${FIRST_BACKOFF_MS}::float8 * power(2, ${n} - ${limit}), ${LONGEST_BACKOFF_MS}) * interval '1 millisecond' end`;
  const rows = await db
    .insert(loginThrottles)
    .values({ key, failures: 1, lastAttemptAt: now, blockedUntil: sql`${blockedUntil(sql`1`)}` })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      set: { failures, lastAttemptAt: now, blockedUntil: sql`${blockedUntil(failures)}` },
      setWhere: or(isNull(loginThrottles.blockedUntil), sql`${loginThrottles.blockedUntil} <= ${at}`),
    })
    .returning({ failures: loginThrottles.failures });
  return rows.length > 0;
}

/** How long the key still waits, in whole seconds (at least one). */
async function secondsLeft(db: Database, key: string, now: Date) {
  const [row] = await db
    .select({ blockedUntil: loginThrottles.blockedUntil })
    .from(loginThrottles)
    .where(eq(loginThrottles.key, key));
  return Math.max(1, Math.ceil(((row?.blockedUntil?.getTime() ?? now.getTime()) - now.getTime()) / 1000));
}

/**
 * Counts one attempt against each key, in order, before the attempt is made, so parallel attempts
 * cannot all pass a check made before any of them was counted; the first key that waits stops the
 * rest and refuses with 429 and Retry-After (`refusal` says what was tried too often).
 */
export async function admitAttempt(
  db: Database,
  now: Date,
  keys: readonly ThrottleKey[],
  refusal: { code: string; message: (seconds: number) => string },
) {
  for (const key of keys) {
    if (await count(db, key, now)) continue;
    const seconds = await secondsLeft(db, key.key, now);
    throw new AppError('too_many_requests', refusal.code, refusal.message(seconds), [], {
      'retry-after': String(seconds),
    });
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle({ db, clock }: { db: Database; clock: Clock }) {
  const keysFor = (email: string, address: string): ThrottleKey[] => [
    { key: `account-at-address:${email}@@${address}`, limit: loginLimits.accountAtAddress },
    { key: `address:${address}`, limit: loginLimits.address },
    { key: `account:${email}`, limit: loginLimits.account },
  ];

  return {
    /**
     * Counts a sign-in attempt before the password is checked, so parallel guesses cannot all pass a
     * check made before any of them was counted. Refuses with 429 and Retry-After while a key waits.
     * Keys are counted in order and the first that waits stops the rest, so one noisy address does not
     * use up the account's own allowance.
     */
    async admit(email: string, address: string) {
      await admitAttempt(db, clock.now(), keysFor(email, address), {
        code: 'auth.throttled',
        message: (seconds) => `Too many failed sign-ins. Wait ${seconds} seconds and try again.`,
      });
    },

    /**
     * A correct password clears the account's counts; the address keeps its failures (this attempt
     * is taken back) so a known account cannot be used to reset an address that guesses at others.
     */
    async succeeded(tx: Executor, email: string, address: string) {
      const [accountAtAddress, byAddress, account] = keysFor(email, address);
      const now = clock.now();
      await tx.delete(loginThrottles).where(inArray(loginThrottles.key, [accountAtAddress!.key, account!.key]));
      await tx
        .update(loginThrottles)
        .set({ failures: sql`greatest(${loginThrottles.failures} - 1, 0)` })
        .where(eq(loginThrottles.key, byAddress!.key));
      await tx
        .delete(loginThrottles)
        .where(
          and(
            lt(loginThrottles.lastAttemptAt, new Date(now.getTime() - QUIET_RESET_MS)),
            or(isNull(loginThrottles.blockedUntil), lt(loginThrottles.blockedUntil, now)),
          ),
        );
    },
  };
}
