import type { ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type CommentsPage = ResponseOf<'/api/record-comments'>;
export type RecordComment = CommentsPage['comments'][number];

/** The records people comment on, mention colleagues on and follow. */
export type CommentSubjectKind = RecordComment['subjectKind'];

export type CommentSubject = { kind: CommentSubjectKind; id: string };

export const COMMENTS_PAGE_SIZE = 50;

const followPath = (subject: CommentSubject) =>
  `/api/follows/${encodeURIComponent(subject.kind)}/${encodeURIComponent(subject.id)}`;

export const commentsApi = {
  followPath,
  listPath: (subject: CommentSubject) =>
    withQuery('/api/record-comments', { kind: subject.kind, id: subject.id, limit: COMMENTS_PAGE_SIZE }),
  add: (subject: CommentSubject, body: string) => api.post<RecordComment>('/api/record-comments', { subject, body }),
  edit: (id: string, body: string) =>
    api.patch<RecordComment>(`/api/record-comments/${encodeURIComponent(id)}`, { body }),
  remove: (id: string) => api.delete(`/api/record-comments/${encodeURIComponent(id)}`),
  follow: (subject: CommentSubject) => api.put<ResponseOf<'/api/follows/{kind}/{id}', 'put'>>(followPath(subject), {}),
  unfollow: (subject: CommentSubject) => api.delete(followPath(subject)),
};
