import { permissions, type Permission } from '../../auth/policy.js';
import type { Role } from '../../auth/roles.js';
import { AppError } from '../../shared/errors.js';
import type { ReviewStatus } from './review.tables.js';

/** Where a version stands: a draft until first submitted, then its latest review round's status. */
export type VersionReviewStatus = 'draft' | ReviewStatus;

export const reviewActions = ['submit', 'approve', 'reject', 'publish', 'supersede'] as const;
export type ReviewAction = (typeof reviewActions)[number];

/**
 * draft → in review → approved → published; a rejection sends the version back to its author, who
 * may submit it again. A newer version's submission supersedes an older one still in review or
 * approved, and publishing a version supersedes the one published before.
 */
const transitions: Record<ReviewAction, { from: VersionReviewStatus[]; to: ReviewStatus }> = {
  submit: { from: ['draft', 'rejected'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
  publish: { from: ['approved'], to: 'published' },
  supersede: { from: ['in_review', 'approved', 'published'], to: 'superseded' },
};

/** The permission each action needs; deciding also needs being asked (see `decisionRefusal`). */
export const reviewPermission = {
  submit: 'documents.write',
  approve: 'documents.review',
  reject: 'documents.review',
  publish: 'documents.write',
  supersede: 'documents.write',
} as const satisfies Record<ReviewAction, Permission>;

const actionWords: Record<ReviewAction, string> = {
  submit: 'submit for review',
  approve: 'approve',
  reject: 'reject',
  publish: 'publish',
  supersede: 'supersede',
};

const statusWords = (status: VersionReviewStatus) => status.replace('_', ' ');

/** Whether an action applies to a version in this status. */
export const allows = (action: ReviewAction, status: VersionReviewStatus) => transitions[action].from.includes(status);

/** The status a version moves to, or the reason it may not. */
export function nextReviewStatus(
  action: ReviewAction,
  version: { label: string; status: VersionReviewStatus },
): ReviewStatus {
  const transition = transitions[action];
  if (!transition.from.includes(version.status))
    throw new AppError(
      'conflict',
      'review.wrong_status',
      `Version ${version.label} is ${statusWords(version.status)}; you can only ${actionWords[action]} a version that is ${transition.from.map(statusWords).join(' or ')}.`,
    );
  return transition.to;
}

/** Whether users with these roles may review documents at all. */
export const rolesMayReview = (roles: readonly Role[]) =>
  roles.some((role) => (permissions['documents.review'] as readonly Role[]).includes(role));

type Round = { reviewerIds: readonly string[]; reviewerRole: Role | null; submittedBy: string | null };

/**
 * Why this user may not approve or reject this round, or null when they may: whoever wrote the
 * version or submitted it never decides on it; otherwise a named reviewer, or (for a round asked
 * of a role) anyone holding that role, decides once.
 */
export function decisionRefusal(
  user: { userId: string; roles: readonly Role[] },
  round: Round,
  version: { label: string; createdBy: string | null },
  decidedBy: ReadonlySet<string>,
): AppError | null {
  if (user.userId === version.createdBy || user.userId === round.submittedBy)
    return new AppError(
      'forbidden',
      'review.own_version',
      `You ${user.userId === version.createdBy ? 'wrote' : 'submitted'} version ${version.label}, so someone else must review it.`,
    );
  const asked = round.reviewerRole ? user.roles.includes(round.reviewerRole) : round.reviewerIds.includes(user.userId);
  if (!asked)
    return new AppError(
      'forbidden',
      'review.not_reviewer',
      round.reviewerRole
        ? `This review is asked of the ${round.reviewerRole.replace('_', ' ')} role, which you do not hold.`
        : 'This review is asked of named reviewers, and you are not one of them.',
    );
  if (decidedBy.has(user.userId))
    return new AppError('conflict', 'review.already_decided', 'You have already decided on this review.');
  return null;
}

/** A round is approved once every named reviewer approved it, or one member of the role did. */
export const approvalComplete = (round: Round, approvedBy: ReadonlySet<string>) =>
  round.reviewerRole ? approvedBy.size > 0 : round.reviewerIds.every((id) => approvedBy.has(id));
