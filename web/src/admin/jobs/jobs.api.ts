import { api, withQuery } from '../../api/client.js';

// The order a job moves through; mirrors jobStatuses in src/jobs/jobs.tables.ts.
export const jobStatuses = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobStatusLabels: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  dead: 'Dead',
  cancelled: 'Cancelled',
};

export type Job = {
  id: number;
  kind: string;
  payload: unknown;
  status: JobStatus;
  idempotencyKey: string | null;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  progress: Record<string, unknown> | null;
  lockedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type JobPage = { jobs: Job[]; nextCursor: number | null; counts: Record<JobStatus, number> };

export const isRetryable = (job: Job) => job.status === 'dead' || job.status === 'cancelled';

export const JOB_PAGE_SIZE = 100;

/** Jobs pages poll this often so counts and progress stay live. */
export const JOBS_REFRESH_MS = 2000;

export const jobsApi = {
  listPath: (filter: { status?: JobStatus; kind?: string }) =>
    withQuery('/api/jobs', { ...filter, limit: JOB_PAGE_SIZE }),
  jobPath: (id: string | number) => `/api/jobs/${id}`,
  retry: (id: number) => api.post<Job>(`/api/jobs/${id}/retry`),
};
