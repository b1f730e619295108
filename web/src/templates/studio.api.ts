import { api, ApiError } from '../api/client.js';
import { authApi } from '../auth/auth.api.js';
import type { FragmentKind, Purpose, VersionStatus, WorkflowAction } from './template-vocabulary.js';

export type FragmentVersion = {
  id: string;
  number: number;
  status: VersionStatus;
  body: string;
  changeNote: string;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  publishedAt: string | null;
};
export type Fragment = { id: string; key: string; name: string; kind: FragmentKind; createdAt: string };
export type FragmentListItem = Fragment & { latest: FragmentVersion | null; published: FragmentVersion | null };
export type FragmentDetail = Fragment & { versions: FragmentVersion[] };

export type Comment = {
  id: string;
  parentId: string | null;
  anchor: string | null;
  body: string;
  author: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
};
export type CommentThread = Comment & { replies: Comment[] };

export type RuleKind =
  'required_fragment' | 'forbidden_phrase' | 'unsubscribe_footer' | 'sms_max_segments' | 'renders_for_samples';
export type ComplianceRule = {
  id: string;
  purpose: Purpose | null;
  kind: RuleKind;
  params: Record<string, unknown>;
  description: string;
  enabled: boolean;
};
export type RuleInput = Omit<ComplianceRule, 'id'>;

export type PostalAddress = { lines: string[]; postalCode: string; city: string; region?: string; country: string };
export type BrandFont = 'Helvetica' | 'Times-Roman' | 'Courier';
export type BrandKitInput = {
  companyName: string;
  colors: { primary: string; accent: string; text: string };
  font: BrandFont;
  senders: { emailFrom: string; emailName: string; replyTo?: string; smsSender: string; faxNumber?: string };
  returnAddress: PostalAddress;
  website: string | null;
  legalFooter: string | null;
};
export type BrandKit = BrandKitInput & { logoSha256: string | null; updatedAt: string };

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
  create: (fragment: { key: string; name: string; kind: FragmentKind; body: string }) =>
    api.post<FragmentDetail>('/api/fragments', fragment),
  saveVersion: (key: string, version: { body: string; changeNote?: string }) =>
    api.post<FragmentVersion>(`${fragmentPath(key)}/versions`, version),
  act: (key: string, number: number, action: WorkflowAction) =>
    api.post<FragmentVersion>(`${fragmentPath(key)}/versions/${number}/workflow`, { action }),
};

export const commentsApi = {
  listPath: commentsPath,
  add: (templateKey: string, number: number, comment: { body: string; parentId?: string; anchor?: string }) =>
    api.post<Comment>(commentsPath(templateKey, number), comment),
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
  update: (id: string, change: Partial<RuleInput>) => api.patch<ComplianceRule>(`/api/compliance-rules/${id}`, change),
  remove: (id: string) => api.delete(`/api/compliance-rules/${id}`),
};
