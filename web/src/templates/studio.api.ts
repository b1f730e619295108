import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api, ApiError } from '../api/client.js';
import { authApi } from '../auth/auth.api.js';
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

/**
 * A PUT with the session's CSRF token. The shared client has no `put` and cannot send a raw body,
 * so this asks /api/me for the token; it goes once `api.put` exists.
 */
async function put<T>(path: string, body: BodyInit, contentType: string): Promise<T> {
  const { csrfToken } = await authApi.me();
  const response = await fetch(path, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': contentType,
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    body,
  }).catch(() => {
    throw new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.');
  });
  const answer: unknown = await response.json().catch(() => null);
  if (response.ok) return answer as T;
  const problem = (answer ?? {}) as { error?: string; message?: string; details?: { path: string; message: string }[] };
  throw new ApiError(
    response.status,
    problem.error ?? 'http_error',
    problem.message ?? `The server answered ${response.status}.`,
    problem.details ?? [],
  );
}

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
  update: (brand: BrandKitInput) => put<BrandKit>('/api/brand', JSON.stringify(brand), 'application/json'),
  uploadLogo: (file: File) => put<BrandKit>('/api/brand/logo', file, file.type),
};

export const rulesApi = {
  listPath: '/api/compliance-rules',
  create: (rule: RuleInput) => api.post<ComplianceRule>('/api/compliance-rules', rule),
  update: (id: string, change: BodyOf<'/api/compliance-rules/{id}', 'patch'>) =>
    api.patch<ComplianceRule>(`/api/compliance-rules/${id}`, change),
  remove: (id: string) => api.delete(`/api/compliance-rules/${id}`),
};
