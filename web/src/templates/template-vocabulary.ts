import type { Permission } from '../../../src/auth/policy.js';
import type { StaffUser } from '../auth/auth.api.js';
import { may } from '../ui/permissions.js';

export const purposes = ['transactional', 'service', 'marketing', 'regulatory'] as const;
export type Purpose = (typeof purposes)[number];

export const purposeLabels: Record<Purpose, string> = {
  transactional: 'Transactional',
  service: 'Service',
  marketing: 'Marketing',
  regulatory: 'Regulatory',
};

export const versionStatuses = ['draft', 'in_review', 'changes_requested', 'approved', 'published', 'retired'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

export const statusLabels: Record<VersionStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
  retired: 'Retired',
};

export const channels = ['email', 'sms', 'letter', 'fax', 'portal'] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  email: 'Email',
  sms: 'SMS',
  letter: 'Letter',
  fax: 'Fax',
  portal: 'Portal',
};

export type WorkflowAction = 'submit' | 'request_changes' | 'approve' | 'publish' | 'retire';

export const fragmentKinds = ['letterhead', 'signature', 'disclosure', 'unsubscribe_footer', 'other'] as const;
export type FragmentKind = (typeof fragmentKinds)[number];

export const fragmentKindLabels: Record<FragmentKind, string> = {
  letterhead: 'Letterhead',
  signature: 'Signature',
  disclosure: 'Disclosure',
  unsubscribe_footer: 'Unsubscribe footer',
  other: 'Other',
};

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
