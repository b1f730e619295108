import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

export type DocumentReview = ResponseOf<'/api/documents/{id}/review'>;
export type ReviewedVersion = DocumentReview['versions'][number];
export type ReviewStatus = ReviewedVersion['status'];
export type ReviewEvent = DocumentReview['history'][number];
export type PendingReview = ResponseOf<'/api/document-reviews/mine'>['reviews'][number];
export type Reviewer = ResponseOf<'/api/document-reviews/reviewers'>['reviewers'][number];
export type SubmitReview = BodyOf<'/api/documents/{id}/versions/{label}/review', 'post'>;

export const reviewStatusLabels: Record<ReviewStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  rejected: 'Rejected',
  approved: 'Approved',
  published: 'Published',
  superseded: 'Superseded',
};

export const reviewEventWords: Record<ReviewEvent['action'], string> = {
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
  published: 'published',
  superseded: 'superseded',
};

const versionPath = (id: string, label: string) =>
  `/api/documents/${encodeURIComponent(id)}/versions/${encodeURIComponent(label)}`;

export const reviewApi = {
  reviewPath: (id: string) => `/api/documents/${encodeURIComponent(id)}/review`,
  minePath: '/api/document-reviews/mine',
  reviewersPath: '/api/document-reviews/reviewers',
  submit: (id: string, label: string, body: SubmitReview) =>
    api.post<DocumentReview>(`${versionPath(id, label)}/review`, body),
  approve: (id: string, label: string, comment: string) =>
    api.post<DocumentReview>(`${versionPath(id, label)}/review/approve`, { comment }),
  reject: (id: string, label: string, comment: string) =>
    api.post<DocumentReview>(`${versionPath(id, label)}/review/reject`, { comment }),
  publish: (id: string, label: string) => api.post<DocumentReview>(`${versionPath(id, label)}/publish`),
};
