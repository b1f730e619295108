import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api, ApiError, type FieldProblem } from '../../api/client.js';
import type { Session } from '../../auth/auth.api.js';

export type CustomerImport = ResponseOf<'/api/customer-imports/{id}'>;
export type ImportStatus = CustomerImport['status'];
export type UploadedImport = ResponseOf<'/api/customer-imports', 'post'>;
export type ImportStart = BodyOf<'/api/customer-imports/{id}/start', 'post'>;
export type UpsertKey = ImportStart['upsertBy'];
/** upsert: update the customers rows match and add the rest; insert: only add new customers. */
export type ImportMode = ImportStart['mode'];
export type ImportReject = ResponseOf<'/api/customer-imports/{id}/rejects'>['rejects'][number];
export type MappableField = ResponseOf<'/api/customer-imports/fields'>['fields'][number];

export type VCardImport = ResponseOf<'/api/customers/import.vcf', 'post'>;
export type CardOutcome = VCardImport['cards'][number];

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
