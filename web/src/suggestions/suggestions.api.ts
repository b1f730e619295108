import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type Suggestion = ResponseOf<'/api/suggestions/{id}'>;
export type SuggestionStatus = Suggestion['status'];
export type LinkOptions = ResponseOf<'/api/suggestions/link-options'>;
export type SuggestionLinkKind = keyof LinkOptions;
export type NewSuggestion = BodyOf<'/api/suggestions', 'post'>;

export const SUGGESTIONS_PAGE_SIZE = 30;

export const statusLabels: Record<SuggestionStatus, string> = {
  open: 'Open',
  under_review: 'Under review',
  planned: 'Planned',
  done: 'Done',
  declined: 'Declined',
};

export const linkKindLabels: Record<SuggestionLinkKind, string> = {
  queue: 'Queue',
  template: 'Template',
  workflow: 'Workflow',
  kpi: 'KPI',
};

const suggestionPath = (id: string) => `/api/suggestions/${encodeURIComponent(id)}`;

export const suggestionsApi = {
  listPath: (query: { sort: 'votes' | 'newest'; status?: string }) =>
    withQuery('/api/suggestions', { ...query, limit: SUGGESTIONS_PAGE_SIZE }),
  path: suggestionPath,
  linkOptionsPath: '/api/suggestions/link-options',
  create: (suggestion: NewSuggestion) => api.post<Suggestion>('/api/suggestions', suggestion),
  toggleVote: (id: string) => api.post<Suggestion>(`${suggestionPath(id)}/vote`),
  setStatus: (id: string, status: SuggestionStatus, reason: string) =>
    api.post<Suggestion>(`${suggestionPath(id)}/status`, { status, reason }),
};
