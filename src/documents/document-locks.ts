import { AppError } from '../shared/errors.js';

/** The lock columns of a document, and the name of whoever holds it (for messages). */
export type LockState = {
  title: string;
  lockedBy: string | null;
  lockedAt: Date | null;
  lockExpiresAt: Date | null;
  holderName?: string | null;
};

/** What someone wants to do to a document, as far as its lock is concerned. */
export type LockAction = 'checkout' | 'checkin' | 'cancel' | 'change' | 'break';

/** Whose lock it is, seen by the one acting: nobody's (none, or expired), theirs, or someone else's. */
export type LockHolder = 'nobody' | 'actor' | 'other';

type Verdict = 'allow' | 'locked' | 'not_checked_out';

/**
 * The lock rules as a table. A check-out is exclusive; only its holder checks in or cancels; anyone
 * may change a document nobody holds, only the holder one that is held; breaking takes a lock
 * that exists (the permission to break is asked separately: documents.manage).
 */
export const lockRules: Record<LockAction, Record<LockHolder, Verdict>> = {
  checkout: { nobody: 'allow', actor: 'allow', other: 'locked' },
  checkin: { nobody: 'not_checked_out', actor: 'allow', other: 'locked' },
  cancel: { nobody: 'not_checked_out', actor: 'allow', other: 'locked' },
  change: { nobody: 'allow', actor: 'allow', other: 'locked' },
  break: { nobody: 'not_checked_out', actor: 'allow', other: 'allow' },
};

/** An expired lock counts as no lock. */
export const lockActive = (lock: LockState, now: Date) =>
  lock.lockedBy !== null && (lock.lockExpiresAt === null || lock.lockExpiresAt > now);

export function lockHolder(lock: LockState, userId: string | null, now: Date): LockHolder {
  if (!lockActive(lock, now)) return 'nobody';
  return userId !== null && lock.lockedBy === userId ? 'actor' : 'other';
}

/** Allows the action, or throws the 409 that says who holds the document (or that nobody does). */
export function checkLock(action: LockAction, lock: LockState, userId: string | null, now: Date): LockHolder {
  const holder = lockHolder(lock, userId, now);
  const verdict = lockRules[action][holder];
  if (verdict === 'locked') {
    const who = lock.holderName ?? 'another user';
    const since = lock.lockedAt ? ` since ${lock.lockedAt.toISOString()}` : '';
    throw new AppError(
      'conflict',
      'document.locked',
      `"${lock.title}" is checked out by ${who}${since}; only they can change it until they check it in or cancel, or a records manager breaks the lock.`,
    );
  }
  if (verdict === 'not_checked_out')
    throw new AppError('conflict', 'document.not_checked_out', `"${lock.title}" is not checked out.`);
  return holder;
}
