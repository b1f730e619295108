import { api, withQuery } from '../../api/client.js';

export type ApiToken = {
  id: string;
  name: string;
  /** The first characters of the secret, enough to recognise it. */
  prefix: string;
  userId: string;
  userEmail: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
};

export type CreatedApiToken = ApiToken & { secret: string };

export const tokensApi = {
  listPath: (everyone: boolean) => withQuery('/api/tokens', { all: everyone }),
  create: (token: { name: string; expiresAt?: string }) => api.post<CreatedApiToken>('/api/tokens', token),
  revoke: (id: string) => api.delete(`/api/tokens/${id}`),
};
