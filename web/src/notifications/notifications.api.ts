import type { ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type NotificationsPage = ResponseOf<'/api/notifications'>;
export type Notice = NotificationsPage['notifications'][number];

export const NOTIFICATION_PAGE_SIZE = 30;

/** Where a notice leads: the record it is about, when that has a page. */
const subjectPages: Record<string, (id: string) => string> = {
  ticket: (id) => `/tickets/${encodeURIComponent(id)}`,
  document: (id) => `/documents/${encodeURIComponent(id)}`,
  customer: (id) => `/customers/${encodeURIComponent(id)}`,
  template: (id) => `/templates/${encodeURIComponent(id)}`,
  goal: () => '/insights',
  suggestion: (id) => `/suggestions/${encodeURIComponent(id)}`,
};

export const notificationsApi = {
  listPath: withQuery('/api/notifications', { limit: NOTIFICATION_PAGE_SIZE }),
  /** Only the unread count is wanted: the smallest page carries it. */
  unreadPath: withQuery('/api/notifications', { unread: 'true', limit: 1 }),
  linkOf: (notice: Notice): string | null =>
    notice.subjectType && notice.subjectId && Object.hasOwn(subjectPages, notice.subjectType)
      ? subjectPages[notice.subjectType]!(notice.subjectId)
      : null,
  /** Marks the notices read; all unread ones when no ids are given. */
  markRead: (ids?: string[]) => api.post<{ marked: number }>('/api/notifications/read', ids ? { ids } : {}),
};
