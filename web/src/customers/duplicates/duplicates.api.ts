import type { ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

type CustomerPair = [string, string];
/** Two customers that look alike; OpenAPI 3.0 documents the pair of ids as an array of two. */
export type DuplicatePair = Omit<ResponseOf<'/api/customers/duplicates'>['pairs'][number], 'customerIds'> & {
  customerIds: CustomerPair;
};
export type MergePreview = ResponseOf<'/api/customers/{id}/merge-preview', 'post'>;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const duplicatesApi = {
  listPath: '/api/customers/duplicates',
  dismiss: (customerIds: CustomerPair) => api.post<void>('/api/customers/duplicates/dismiss', { customerIds }),
  preview: (survivorId: string, otherId: string) =>
    api.post<MergePreview>(`${customerPath(survivorId)}/merge-preview`, { otherId }),
  merge: (survivorId: string, otherId: string) =>
    api.post<ResponseOf<'/api/customers/{id}/merge', 'post'>>(`${customerPath(survivorId)}/merge`, { otherId }),
};
