import { describe, expect, it } from 'vitest';
import {
  approvalComplete,
  decisionRefusal,
  nextReviewStatus,
  type ReviewAction,
  type VersionReviewStatus,
} from '../../src/documents/review/review-lifecycle.js';

describe('the review transition table', () => {
  const allowed: [ReviewAction, VersionReviewStatus, VersionReviewStatus | 'refused'][] = [
    ['submit', 'draft', 'in_review'],
    ['submit', 'rejected', 'in_review'],
    ['submit', 'in_review', 'refused'],
    ['submit', 'approved', 'refused'],
    ['submit', 'published', 'refused'],
    ['approve', 'in_review', 'approved'],
    ['approve', 'draft', 'refused'],
    ['approve', 'rejected', 'refused'],
    ['reject', 'in_review', 'rejected'],
    ['reject', 'approved', 'refused'],
    ['publish', 'approved', 'published'],
    ['publish', 'in_review', 'refused'],
    ['publish', 'draft', 'refused'],
    ['publish', 'published', 'refused'],
    ['supersede', 'published', 'superseded'],
    ['supersede', 'draft', 'refused'],
  ];
  it.each(allowed)('%s from %s → %s', (action, status, expected) => {
    const move = () => nextReviewStatus(action, { label: '1.0', status });
    if (expected === 'refused') expect(move).toThrow(/Version 1\.0 is/);
    else expect(move()).toBe(expected);
  });
});

describe('who decides a round', () => {
  const named = { reviewerIds: ['rita', 'rob'], reviewerRole: null, submittedBy: 'sam' };
  const byRole = { reviewerIds: [], reviewerRole: 'reviewer' as const, submittedBy: 'sam' };
  const version = { label: '1.0', createdBy: 'ann' };
  const reviewer = (userId: string) => ({ userId, roles: ['reviewer' as const] });
  const code = (error: { code: string } | null) => error?.code ?? null;

  it('refuses the author and the submitter, even when asked', () => {
    expect(code(decisionRefusal(reviewer('ann'), { ...named, reviewerIds: ['ann'] }, version, new Set()))).toBe(
      'review.own_version',
    );
    expect(code(decisionRefusal(reviewer('sam'), byRole, version, new Set()))).toBe('review.own_version');
  });

  it('lets a named reviewer or a member of the role decide once', () => {
    expect(code(decisionRefusal(reviewer('rita'), named, version, new Set()))).toBeNull();
    expect(code(decisionRefusal(reviewer('rita'), named, version, new Set(['rita'])))).toBe('review.already_decided');
    expect(code(decisionRefusal(reviewer('eve'), named, version, new Set()))).toBe('review.not_reviewer');
    expect(code(decisionRefusal(reviewer('eve'), byRole, version, new Set()))).toBeNull();
    expect(code(decisionRefusal({ userId: 'max', roles: ['manager'] }, byRole, version, new Set()))).toBe(
      'review.not_reviewer',
    );
  });

  it('approves a named round when all approved, a role round on the first approval', () => {
    expect(approvalComplete(named, new Set(['rita']))).toBe(false);
    expect(approvalComplete(named, new Set(['rita', 'rob']))).toBe(true);
    expect(approvalComplete(byRole, new Set())).toBe(false);
    expect(approvalComplete(byRole, new Set(['eve']))).toBe(true);
  });
});
