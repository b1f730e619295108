import type { Permission } from '../../../src/auth/policy.js';
import type { FragmentKind, TemplatePurpose, VersionStatus } from '../../../src/templates/templates.tables.js';
import type { StaffUser } from '../auth/auth.api.js';
import { may } from '../ui/permissions.js';
import { labelsOf } from '../ui/vocabulary.js';

// Templates are sent on the channels customers are reached on.
export { channelLabels, channels, type Channel } from '../customers/customer-vocabulary.js';
export type { FragmentKind, VersionStatus };
export type Purpose = TemplatePurpose;

// Labels keyed by the server's own unions: a purpose or status added there fails the type check here.
export const purposes = ['transactional', 'service', 'marketing', 'regulatory'] as const;
export const purposeLabels: Record<Purpose, string> = labelsOf(purposes);

export const versionStatuses = ['draft', 'in_review', 'changes_requested', 'approved', 'published', 'retired'] as const;
export const statusLabels: Record<VersionStatus, string> = labelsOf(versionStatuses);

export const fragmentKinds = ['letterhead', 'signature', 'disclosure', 'unsubscribe_footer', 'other'] as const;
export const fragmentKindLabels: Record<FragmentKind, string> = labelsOf(fragmentKinds);

export type WorkflowAction = 'submit' | 'request_changes' | 'approve' | 'publish' | 'retire';

/** Which workflow actions a status allows, and the permission each needs (as the server's workflow says). */
export const workflowSteps: Record<WorkflowAction, { from: VersionStatus[]; permission: Permission; label: string }> = {
  submit: { from: ['draft'], permission: 'templates.author', label: 'Submit for review' },
  request_changes: { from: ['in_review'], permission: 'templates.review', label: 'Request changes' },
  approve: { from: ['in_review'], permission: 'templates.review', label: 'Approve' },
  publish: { from: ['approved'], permission: 'templates.publish', label: 'Publish' },
  retire: { from: ['published'], permission: 'templates.publish', label: 'Retire' },
};

/** The workflow actions this user may take on a version in this status, in the order they are offered. */
export function actionsFor(user: StaffUser, status: VersionStatus): WorkflowAction[] {
  return (Object.keys(workflowSteps) as WorkflowAction[]).filter(
    (action) => workflowSteps[action].from.includes(status) && may(user, workflowSteps[action].permission),
  );
}
