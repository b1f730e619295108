import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api } from '../api/client.js';

export type Announcement = ResponseOf<'/api/announcements'>['announcements'][number];
export type AnnouncementDetail = ResponseOf<'/api/announcements/{id}'>;
export type AnnouncementReach = ResponseOf<'/api/announcements/{id}/reach'>;
export type PendingAnnouncement = ResponseOf<'/api/announcements/pending'>['announcements'][number];
export type AnnouncementInput = BodyOf<'/api/announcements', 'post'>;
export type AnnouncementUpdate = BodyOf<'/api/announcements/{id}', 'patch'>;

const one = (id: string) => `/api/announcements/${encodeURIComponent(id)}`;

export const announcementsApi = {
  listPath: '/api/announcements',
  pendingPath: '/api/announcements/pending',
  path: one,
  reachPath: (id: string) => `${one(id)}/reach`,
  create: (input: AnnouncementInput) => api.post<AnnouncementDetail>('/api/announcements', input),
  update: (id: string, input: AnnouncementUpdate) => api.patch<AnnouncementDetail>(one(id), input),
  publish: (id: string) => api.post<AnnouncementDetail>(`${one(id)}/publish`),
  close: (id: string) => api.post<AnnouncementDetail>(`${one(id)}/close`),
  acknowledge: (id: string) => api.post<AnnouncementDetail>(`${one(id)}/acknowledge`),
};
