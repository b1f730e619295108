import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type HoldSummary = ResponseOf<'/api/legal-holds'>['holds'][number];
export type Hold = ResponseOf<'/api/legal-holds/{id}'>;
export type ScopeLine = BodyOf<'/api/legal-holds', 'post'>['scope'] extends (infer Line)[] | undefined ? Line : never;
export type ScopeKind = ScopeLine['kind'];
export type PlaceHold = BodyOf<'/api/legal-holds', 'post'>;
export type Category = ResponseOf<'/api/record-categories'>['categories'][number];
export type CategoryInput = BodyOf<'/api/record-categories', 'post'>;
export type DocumentRecordStatus = ResponseOf<'/api/documents/{id}/record'>;
export type Batch = ResponseOf<'/api/disposition-batches/{id}'>;
export type BatchItem = ResponseOf<'/api/disposition-batches/{id}/items'>['items'][number];
export type MatterItems = ResponseOf<'/api/legal-holds/{id}/items'>;
export type MatterItemType = MatterItems['type'];
export type MatterExport = ResponseOf<'/api/ediscovery-exports/{id}'>;

const holdPath = (id: string) => `/api/legal-holds/${encodeURIComponent(id)}`;
const batchPath = (id: string) => `/api/disposition-batches/${encodeURIComponent(id)}`;
const recordPath = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}/record`;

export const scopeKindLabels: Record<ScopeKind, string> = {
  customer: 'Customer (with their communications, tickets and documents)',
  document: 'Document',
  ticket: 'Ticket',
  communication: 'Communication',
};

export const recordsApi = {
  holdsPath: (status: 'all' | 'active' | 'released' = 'all') => withQuery('/api/legal-holds', { status }),
  holdPath,
  place: (hold: PlaceHold) => api.post<Hold>('/api/legal-holds', hold),
  addScope: (id: string, scope: ScopeLine[]) => api.post<Hold>(`${holdPath(id)}/scope`, { scope }),
  release: (id: string, reason: string) => api.post<Hold>(`${holdPath(id)}/release`, { reason }),

  categoriesPath: '/api/record-categories',
  createCategory: (input: CategoryInput) => api.post<Category>('/api/record-categories', input),
  updateCategory: (id: string, input: Partial<CategoryInput>) =>
    api.patch<Category>(`/api/record-categories/${encodeURIComponent(id)}`, input),

  recordPath,
  declare: (documentId: string, categoryId: string, eventDate: string | null) =>
    api.post<DocumentRecordStatus>(recordPath(documentId), { categoryId, eventDate }),
  setEventDate: (documentId: string, eventDate: string | null) =>
    api.patch<DocumentRecordStatus>(recordPath(documentId), { eventDate }),

  batchesPath: '/api/disposition-batches',
  batchPath,
  itemsPath: (id: string) => withQuery(`${batchPath(id)}/items`, { limit: 100 }),
  listDue: () => api.post<Batch | undefined>('/api/disposition-batches', {}),
  exclude: (id: string, item: Pick<BatchItem, 'objectType' | 'objectId'>, reason: string) =>
    api.post<Batch>(`${batchPath(id)}/exclude`, { ...item, reason }),
  approve: (id: string) => api.post<Batch>(`${batchPath(id)}/approve`, {}),
  certificatePath: (id: string, format: 'json' | 'pdf') => withQuery(`${batchPath(id)}/certificate`, { format }),

  matterItemsPath: (holdId: string, type: MatterItemType, q: string) =>
    withQuery(`${holdPath(holdId)}/items`, { type, q: q.trim() || undefined, limit: 200 }),
  exportsPath: (holdId: string) => `${holdPath(holdId)}/exports`,
  startExport: (holdId: string, items?: { type: MatterItemType; id: string }[]) =>
    api.post<MatterExport>(`${holdPath(holdId)}/exports`, items ? { items } : {}),
  downloadPath: (exportId: string) => `/api/ediscovery-exports/${encodeURIComponent(exportId)}/download`,
};
