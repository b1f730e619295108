import type { ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

/** One merged PDF plus a CSV manifest for the print-and-post vendor. */
export type PrintBatch = ResponseOf<'/api/print-batches'>['printBatches'][number];

const batchPath = (id: string) => `/api/print-batches/${encodeURIComponent(id)}`;

export const printBatchesApi = {
  listPath: '/api/print-batches',
  pdfPath: (id: string) => `${batchPath(id)}/letters.pdf`,
  manifestPath: (id: string) => `${batchPath(id)}/manifest.csv`,
  /** A batch of every letter waiting (null when none waits), with the server's message. */
  create: () => api.post<ResponseOf<'/api/print-batches', 'post'>>('/api/print-batches'),
};
