import type { Permission } from '../auth/policy.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import type { VersionStatus } from './templates.tables.js';

export const workflowActions = ['submit', 'request_changes', 'approve', 'publish', 'retire'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

/** draft → in review → approved → published → retired; a reviewer may send a version back instead. */
const transitions: Record<WorkflowAction, { from: VersionStatus[]; to: VersionStatus }> = {
  submit: { from: ['draft'], to: 'in_review' },
  request_changes: { from: ['in_review'], to: 'changes_requested' },
  approve: { from: ['in_review'], to: 'approved' },
  publish: { from: ['approved'], to: 'published' },
  retire: { from: ['published'], to: 'retired' },
};

/** The permission each workflow action needs, for template and fragment versions alike. */
export const workflowPermission = {
  submit: 'templates.author',
  request_changes: 'templates.review',
  approve: 'templates.review',
  publish: 'templates.publish',
  retire: 'templates.publish',
} as const satisfies Record<WorkflowAction, Permission>;

const actionWords: Record<WorkflowAction, string> = {
  submit: 'submit for review',
  request_changes: 'request changes to',
  approve: 'approve',
  publish: 'publish',
  retire: 'retire',
};

/**
 * The status a version moves to, or the reason it may not. Four eyes: whoever wrote a version may
 * not approve it.
 */
export function nextStatus(
  action: WorkflowAction,
  version: { status: VersionStatus; createdById: string | null; number: number },
  actor: Actor,
): VersionStatus {
  const transition = transitions[action];
  if (!transition.from.includes(version.status)) {
    throw new AppError(
      'conflict',
      'version.wrong_status',
      `Version ${version.number} is ${version.status.replace('_', ' ')}; you can only ${actionWords[action]} a version that is ${transition.from.join(' or ').replace('_', ' ')}.`,
    );
  }
  if (action === 'approve' && actor.kind === 'user' && actor.userId === version.createdById) {
    throw new AppError('forbidden', 'version.four_eyes', 'You wrote this version, so someone else must approve it.');
  }
  return transition.to;
}

/** Versions are immutable; a change is a new version. Only this says so in words. */
export const immutableVersion = (status: VersionStatus) =>
  new AppError(
    'conflict',
    'version.immutable',
    `A ${status.replace('_', ' ')} version cannot be changed; save a new version instead.`,
  );
