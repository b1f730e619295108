import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

export type Scan = ResponseOf<'/api/scans/{id}'>;
export type ScanPage = ResponseOf<'/api/scans'>;
export type ScanStatus = Scan['status'];
export type ScanMethod = NonNullable<Scan['method']>;
export type ScanFiling = BodyOf<'/api/scans/{id}/file', 'post'>;
export type ReferencedCommunication = ResponseOf<'/api/scans/references/{code}'>;

export const SCAN_PAGE_SIZE = 50;
/** While a scan is being read or filed, its list and page ask again this often. */
export const SCANS_REFRESH_MS = 2_000;

export const scanStatusLabels: Record<ScanStatus, string> = {
  received: 'Reading',
  filing: 'Filing',
  filed: 'Filed',
  unmatched: 'Unmatched',
  failed: 'Failed',
};

export const scanMethodLabels: Record<ScanMethod, string> = {
  qr: 'QR code',
  text: 'Printed reference (OCR)',
  hand: 'Filed by hand',
};

/** A scan its job has not finished with. */
export const inProgress = (scan: Pick<Scan, 'status'>) => scan.status === 'received' || scan.status === 'filing';

const scanPath = (id: string) => `/api/scans/${encodeURIComponent(id)}`;

export const scansApi = {
  listPath: (status?: ScanStatus) => withQuery('/api/scans', { status, limit: SCAN_PAGE_SIZE }),
  scanPath,
  contentPath: (id: string) => `${scanPath(id)}/content`,
  referencePath: (code: string) => `/api/scans/references/${encodeURIComponent(code)}`,

  upload: (file: File, onProgress?: (sent: number) => void) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.postForm<Scan>('/api/scans', form, onProgress);
  },
  file: (id: string, filing: ScanFiling) => api.post<Scan>(`${scanPath(id)}/file`, filing),
};
