import { AppError } from '../shared/errors.js';
import type { AnnouncementStatus } from './announcements.tables.js';

export const announcementActions = ['edit', 'publish', 'close'] as const;
export type AnnouncementAction = (typeof announcementActions)[number];

/**
 * draft → published (staff see it, customers are mailed) → closed (no longer shown, no more reminders).
 * Only a draft is edited: once published, staff have read it and customers may have been mailed.
 */
const transitions: Record<AnnouncementAction, { from: AnnouncementStatus[]; to: AnnouncementStatus }> = {
  edit: { from: ['draft'], to: 'draft' },
  publish: { from: ['draft'], to: 'published' },
  close: { from: ['draft', 'published'], to: 'closed' },
};

const done: Record<AnnouncementAction, string> = { edit: 'edited', publish: 'published', close: 'closed' };

/** The status an announcement moves to, or why it may not. */
export function nextAnnouncementStatus(action: AnnouncementAction, current: AnnouncementStatus): AnnouncementStatus {
  const transition = transitions[action];
  if (!transition.from.includes(current))
    throw new AppError(
      'conflict',
      'announcement.wrong_status',
      `The announcement is ${current}; only one that is ${transition.from.join(' or ')} can be ${done[action]}.`,
    );
  return transition.to;
}

/** The statuses an action may move an announcement from, for the conditional update that applies it. */
export const movableBy = (action: AnnouncementAction) => transitions[action].from;
