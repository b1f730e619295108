import { api, withQuery } from '../../api/client.js';

export type AuditEvent = {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  summary: Record<string, unknown>;
  hash: string;
};

export type AuditPage = { events: AuditEvent[]; nextCursor: number | null };

/** Filters as the API takes them; `from` and `to` are ISO instants. */
export type AuditFilter = { action?: string; entityType?: string; entityId?: string; from?: string; to?: string };

export type ChainVerification = { ok: boolean; checked: number; firstBreak?: { seq: number; reason: string } };

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = {
  listPath: (filter: AuditFilter, before?: number) =>
    withQuery('/api/audit', { ...filter, before, limit: AUDIT_PAGE_SIZE }),
  verify: () => api.get<ChainVerification>('/api/audit/verify'),
};
