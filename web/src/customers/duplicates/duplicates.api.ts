import { api } from '../../api/client.js';
import type { Customer, CustomerSummary } from '../customers.api.js';

export type DuplicatePair = { customerIds: [string, string]; reasons: string[]; customers: CustomerSummary[] };
export type MergePreview = {
  survivor: Customer;
  other: Customer;
  result: Record<string, unknown>;
  moves: { label: string; count: number }[];
};

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const duplicatesApi = {
  listPath: '/api/customers/duplicates',
  dismiss: (customerIds: [string, string]) => api.post<void>('/api/customers/duplicates/dismiss', { customerIds }),
  preview: (survivorId: string, otherId: string) =>
    api.post<MergePreview>(`${customerPath(survivorId)}/merge-preview`, { otherId }),
  merge: (survivorId: string, otherId: string) =>
    api.post<{ customer: Customer; moved: Record<string, number> }>(`${customerPath(survivorId)}/merge`, { otherId }),
};
