import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

export type BatchRun = ResponseOf<'/api/batch-runs/{id}/pause', 'post'>;

/** A run with the names of its template, version and audience (segment null once deleted, or for a corrective mailing). */
export type BatchRunListItem = ResponseOf<'/api/batch-runs'>['runs'][number];

/** A run with its communications counted by status and channel, as GET /api/batch-runs/:id and its events answer. */
export type BatchRunProgress = ResponseOf<'/api/batch-runs/{id}'>;

export type NewBatchRun = BodyOf<'/api/batch-runs', 'post'>;
/** The published version (`versionId`, as the person saw it) to everyone who received the older versions. */
export type NewCorrectiveRun = BodyOf<'/api/batch-runs/corrective', 'post'>;

/** Who received a template version, and the corrective mailing a newer published version allows. */
export type VersionRecipients = ResponseOf<'/api/template-versions/{id}/recipients'>;

/** "Tagged spring", or "Recipients of version 1": who a run goes to; null once its segment is deleted. */
export const audienceOf = (run: Pick<BatchRunListItem, 'segmentName' | 'correctsVersionNumbers'>) =>
  run.correctsVersionNumbers
    ? `Recipients of version ${run.correctsVersionNumbers.join(', ')}`
    : (run.segmentName ?? null);

const runPath = (id: string) => `/api/batch-runs/${encodeURIComponent(id)}`;

export const batchRunsApi = {
  listPath: '/api/batch-runs',
  runPath,
  /** Server-sent events: one "progress" event a second until the run ends. */
  eventsPath: (id: string) => `${runPath(id)}/events`,
  start: (run: NewBatchRun) => api.post<BatchRun>('/api/batch-runs', run),
  startCorrective: (run: NewCorrectiveRun) => api.post<BatchRun>('/api/batch-runs/corrective', run),
  recipientsPath: (versionId: string) => `/api/template-versions/${encodeURIComponent(versionId)}/recipients`,
  pause: (id: string) => api.post<BatchRun>(`${runPath(id)}/pause`),
  resume: (id: string) => api.post<BatchRun>(`${runPath(id)}/resume`),
  cancel: (id: string) => api.post<BatchRun>(`${runPath(id)}/cancel`),
};
