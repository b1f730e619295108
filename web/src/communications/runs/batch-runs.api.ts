import { api } from '../../api/client.js';
import type { BatchRunStatus } from '../communication-vocabulary.js';

export type BatchRun = {
  id: string;
  templateId: string;
  templateVersionId: string;
  segmentId: string;
  status: BatchRunStatus;
  scheduledAt: string;
  /** How many customers the run promised: the segment's size when it started. */
  total: number;
  /** How many communications it has made so far. */
  created: number;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** A run with the names of its template and segment (null once the segment is deleted). */
export type BatchRunListItem = BatchRun & { templateName: string; segmentName: string | null };

/**
 * A run with its communications counted by status and channel; `done` counts the ones that reached a final state,
 * `costMillicents` what the items handed over so far cost.
 */
export type BatchRunProgress = BatchRunListItem & {
  statuses: Record<string, number>;
  channels: Record<string, number>;
  costMillicents: number;
  done: number;
  percent: number;
};

export type NewBatchRun = { template: string; segmentId: string; data?: Record<string, unknown>; scheduledAt?: string };

const runPath = (id: string) => `/api/batch-runs/${encodeURIComponent(id)}`;

export const batchRunsApi = {
  listPath: '/api/batch-runs',
  runPath,
  /** Server-sent events: one "progress" event a second until the run ends. */
  eventsPath: (id: string) => `${runPath(id)}/events`,
  start: (run: NewBatchRun) => api.post<BatchRun>('/api/batch-runs', run),
  pause: (id: string) => api.post<BatchRun>(`${runPath(id)}/pause`),
  resume: (id: string) => api.post<BatchRun>(`${runPath(id)}/resume`),
  cancel: (id: string) => api.post<BatchRun>(`${runPath(id)}/cancel`),
};
