import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api, withQuery } from '../../api/client.js';

export type TokenList = ResponseOf<'/api/tokens'>;
export type ApiToken = TokenList['tokens'][number];
export type CreatedApiToken = ResponseOf<'/api/tokens', 'post'>;
export type NewApiToken = BodyOf<'/api/tokens', 'post'>;

export type TokenScope = ApiToken['scope'];

export const scopeLabels: Record<TokenScope, { label: string; hint: string }> = {
  read: { label: 'Read only', hint: 'may only read (GET and HEAD); any change is refused' },
  full: { label: 'Full access', hint: 'may do everything you may' },
};

export const tokensApi = {
  listPath: (everyone: boolean) => withQuery('/api/tokens', { all: everyone }),
  create: (token: NewApiToken) => api.post<CreatedApiToken>('/api/tokens', token),
  revoke: (id: string) => api.delete(`/api/tokens/${id}`),
};
