import { describe, expect, it } from 'vitest';
import {
  checkLock,
  lockHolder,
  lockRules,
  type LockAction,
  type LockHolder,
} from '../../src/documents/document-locks.js';

const now = new Date('2026-12-05T10:00:00Z');
const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const lockOf = (lockedBy: string | null, lockExpiresAt: Date | null = null) => ({
  title: 'Contract.pdf',
  lockedBy,
  lockedAt: lockedBy ? new Date('2026-12-05T09:00:00Z') : null,
  lockExpiresAt,
  holderName: lockedBy === ann ? 'Ann Archer' : 'Bob Baker',
});

describe('whose lock it is', () => {
  it.each<[string, ReturnType<typeof lockOf>, LockHolder]>([
    ['no lock', lockOf(null), 'nobody'],
    ['own lock without expiry', lockOf(ann), 'actor'],
    ["another's lock", lockOf(bob), 'other'],
    ["another's lock not yet expired", lockOf(bob, new Date('2026-12-05T10:00:01Z')), 'other'],
    ["another's lock expiring right now", lockOf(bob, now), 'nobody'],
    ["another's expired lock", lockOf(bob, new Date('2026-12-05T09:59:00Z')), 'nobody'],
  ])('%s → %s', (_case, lock, holder) => {
    expect(lockHolder(lock, ann, now)).toBe(holder);
  });
});

describe('the lock rules', () => {
  const cases: [LockAction, LockHolder, 'allow' | 'document.locked' | 'document.not_checked_out'][] = [
    ['checkout', 'nobody', 'allow'],
    ['checkout', 'actor', 'allow'],
    ['checkout', 'other', 'document.locked'],
    ['checkin', 'nobody', 'document.not_checked_out'],
    ['checkin', 'actor', 'allow'],
    ['checkin', 'other', 'document.locked'],
    ['cancel', 'nobody', 'document.not_checked_out'],
    ['cancel', 'actor', 'allow'],
    ['cancel', 'other', 'document.locked'],
    ['change', 'nobody', 'allow'],
    ['change', 'actor', 'allow'],
    ['change', 'other', 'document.locked'],
    ['break', 'nobody', 'document.not_checked_out'],
    ['break', 'actor', 'allow'],
    ['break', 'other', 'allow'],
  ];

  it('covers every action and holder', () => {
    expect(cases.length).toBe(Object.keys(lockRules).length * 3);
  });

  it.each(cases)('%s when the lock is held by %s → %s', (action, holder, expected) => {
    const lock = { nobody: lockOf(null), actor: lockOf(ann), other: lockOf(bob) }[holder];
    const attempt = () => checkLock(action, lock, ann, now);
    if (expected === 'allow') expect(attempt()).toBe(holder);
    else expect(attempt).toThrow(expect.objectContaining({ code: expected, status: 409 }));
  });

  it('names who holds the document when refusing', () => {
    expect(() => checkLock('checkin', lockOf(bob), ann, now)).toThrow(
      /checked out by Bob Baker since 2026-12-05T09:00:00/,
    );
  });
});
