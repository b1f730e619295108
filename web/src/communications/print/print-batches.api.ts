import { api } from '../../api/client.js';

/** One merged PDF plus a CSV manifest for the print-and-post vendor. */
export type PrintBatch = {
  id: string;
  items: number;
  pages: number;
  folder: string | null;
  pdfSha256: string;
  manifestSha256: string;
  createdBy: string;
  createdAt: string;
};

const batchPath = (id: string) => `/api/print-batches/${encodeURIComponent(id)}`;

export const printBatchesApi = {
  listPath: '/api/print-batches',
  pdfPath: (id: string) => `${batchPath(id)}/letters.pdf`,
  manifestPath: (id: string) => `${batchPath(id)}/manifest.csv`,
  /** A batch of every letter waiting, or the server's message when none waits. */
  create: () => api.post<PrintBatch | { message: string }>('/api/print-batches'),
};
