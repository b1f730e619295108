import { api, ApiError, type FieldProblem } from '../../api/client.js';
import type { Session } from '../../auth/auth.api.js';
import type { ImportStatus } from '../../../../src/customers/customers.tables.js';

export type { ImportStatus };
export type UpsertKey = 'email' | 'external_id';

export type CustomerImport = {
  id: string;
  fileName: string;
  fileSize: number;
  status: ImportStatus;
  columns: string[];
  mapping: Record<string, string> | null;
  upsertBy: UpsertKey | null;
  dryRun: boolean;
  partial: boolean;
  rowsTotal: number;
  rowsDone: number;
  inserted: number;
  updated: number;
  rejected: number;
  error: string | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
};

export type UploadedImport = { import: CustomerImport; sample: string[][]; suggestedMapping: Record<string, string> };
export type ImportStart = { mapping: Record<string, string>; upsertBy: UpsertKey; dryRun: boolean; partial: boolean };
export type ImportReject = { rowNumber: number; field: string; reason: string };
export type MappableField = { field: string; label: string };

export type CardOutcome = {
  card: number;
  line: number;
  outcome: 'inserted' | 'updated' | 'rejected';
  customerId: string | null;
  problems: { field: string; reason: string }[];
};
export type VCardImport = { inserted: number; updated: number; rejected: number; cards: CardOutcome[] };

export const importStatusLabels: Record<ImportStatus, string> = {
  uploaded: 'Uploaded, not started',
  queued: 'Waiting to start',
  validating: 'Checking rows',
  importing: 'Importing',
  completed: 'Completed',
  rejected: 'Rejected: nothing imported',
  failed: 'Failed',
};

/** Statuses after which an import changes no more unless it is started again. */
export const finishedStatuses: ImportStatus[] = ['uploaded', 'completed', 'rejected', 'failed'];

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: string;
    message?: string;
    details?: FieldProblem[];
  } | null;
  if (body?.error && body.message) return new ApiError(response.status, body.error, body.message, body.details ?? []);
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`);
}

/**
 * Sends a file as the raw request body, as the import routes want it. The shared client only
 * sends JSON, so this asks the session for its CSRF token itself.
 */
async function postFile<T>(path: string, file: File, contentType: string): Promise<T> {
  const { csrfToken } = await api.get<Session>('/api/me');
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'content-type': contentType,
        ...(csrfToken && { 'x-csrf-token': csrfToken }),
      },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.');
  }
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

const importPath = (id: string) => `/api/customer-imports/${encodeURIComponent(id)}`;

export const isVCardFile = (file: File) =>
  /\.(vcf|vcard)$/i.test(file.name) || file.type === 'text/vcard' || file.type === 'text/x-vcard';

export const importsApi = {
  listPath: '/api/customer-imports?limit=10',
  fieldsPath: '/api/customer-imports/fields',
  importPath,
  previewPath: (id: string) => `${importPath(id)}/preview`,
  rejectsPath: (id: string) => `${importPath(id)}/rejects?limit=100`,
  rejectsCsvPath: (id: string) => `${importPath(id)}/rejects.csv`,
  upload: (file: File) =>
    postFile<UploadedImport>(`/api/customer-imports?fileName=${encodeURIComponent(file.name)}`, file, 'text/csv'),
  importVCards: (file: File) => postFile<VCardImport>('/api/customers/import.vcf', file, 'text/vcard'),
  start: (id: string, start: ImportStart) => api.post<CustomerImport>(`${importPath(id)}/start`, start),
};
