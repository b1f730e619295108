import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api } from '../api/client.js';
import type { WorkflowAction } from './template-vocabulary.js';

export type FragmentDetail = ResponseOf<'/api/fragments/{fragment}'>;
export type FragmentVersion = FragmentDetail['versions'][number];
export type Fragment = Omit<FragmentDetail, 'versions'>;
export type FragmentListItem = ResponseOf<'/api/fragments'>['fragments'][number];

export type CommentThread = ResponseOf<'/api/templates/{template}/versions/{number}/comments'>['comments'][number];
export type Comment = Omit<CommentThread, 'replies'>;

export type ComplianceRule = ResponseOf<'/api/compliance-rules/{id}', 'patch'>;
export type RuleKind = ComplianceRule['kind'];
export type RuleInput = BodyOf<'/api/compliance-rules', 'post'>;

export type BrandKit = ResponseOf<'/api/brand'>;
export type BrandKitInput = BodyOf<'/api/brand', 'put'>;
export type BrandFont = BrandKitInput['font'];
export type PostalAddress = BrandKitInput['returnAddress'];

const fragmentPath = (key: string) => `/api/fragments/${encodeURIComponent(key)}`;
const commentsPath = (templateKey: string, number: number) =>
  `/api/templates/${encodeURIComponent(templateKey)}/versions/${number}/comments`;

export const fragmentsApi = {
  listPath: '/api/fragments',
  fragmentPath,
  create: (fragment: BodyOf<'/api/fragments', 'post'>) => api.post<FragmentDetail>('/api/fragments', fragment),
  saveVersion: (key: string, version: BodyOf<'/api/fragments/{fragment}/versions', 'post'>) =>
    api.post<FragmentVersion>(`${fragmentPath(key)}/versions`, version),
  act: (key: string, number: number, action: WorkflowAction) =>
    api.post<FragmentVersion>(`${fragmentPath(key)}/versions/${number}/workflow`, { action }),
};

export const commentsApi = {
  listPath: commentsPath,
  add: (
    templateKey: string,
    number: number,
    comment: BodyOf<'/api/templates/{template}/versions/{number}/comments', 'post'>,
  ) => api.post<Comment>(commentsPath(templateKey, number), comment),
  setResolved: (id: string, resolved: boolean) => api.patch<Comment>(`/api/comments/${id}`, { resolved }),
};

export const brandApi = {
  path: '/api/brand',
  logoPath: '/api/brand/logo',
  update: (brand: BrandKitInput) => api.put<BrandKit>('/api/brand', brand),
  uploadLogo: (file: File) => api.upload<BrandKit>('PUT', '/api/brand/logo', file),
};

export const rulesApi = {
  listPath: '/api/compliance-rules',
  create: (rule: RuleInput) => api.post<ComplianceRule>('/api/compliance-rules', rule),
  update: (id: string, change: BodyOf<'/api/compliance-rules/{id}', 'patch'>) =>
    api.patch<ComplianceRule>(`/api/compliance-rules/${id}`, change),
  remove: (id: string) => api.delete(`/api/compliance-rules/${id}`),
};
