import type { QueryOf, ResponseOf } from '../../api/api-types.js';
import { api, withQuery } from '../../api/client.js';

export type AuditPage = ResponseOf<'/api/audit'>;
export type AuditEvent = AuditPage['events'][number];

/** Filters as the API takes them; `from` and `to` are ISO instants. */
export type AuditFilter = Pick<QueryOf<'/api/audit'>, 'action' | 'entityType' | 'entityId' | 'from' | 'to'>;

export type ChainVerification = ResponseOf<'/api/audit/verify'>;

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = {
  listPath: (filter: AuditFilter, cursor?: string) =>
    withQuery('/api/audit', { ...filter, cursor, limit: AUDIT_PAGE_SIZE }),
  verify: () => api.get<ChainVerification>('/api/audit/verify'),
};
