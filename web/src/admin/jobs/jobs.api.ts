import type { QueryOf, ResponseOf } from '../../api/api-types.js';
import { api, withQuery } from '../../api/client.js';
import { labelsOf } from '../../ui/vocabulary.js';

export type Job = ResponseOf<'/api/jobs/{id}'>;
export type JobStatus = Job['status'];

/** Every status the server names, in the order a job moves through. */
export const jobStatuses = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export const jobStatusLabels: Record<JobStatus, string> = labelsOf(jobStatuses);

export type JobPage = ResponseOf<'/api/jobs'>;

export const isRetryable = (job: Job) => job.status === 'dead' || job.status === 'cancelled';

export const JOB_PAGE_SIZE = 100;

/** Jobs pages poll this often so counts and progress stay live. */
export const JOBS_REFRESH_MS = 2000;

export const jobsApi = {
  listPath: (filter: Pick<QueryOf<'/api/jobs'>, 'status' | 'kind'>) =>
    withQuery('/api/jobs', { ...filter, limit: JOB_PAGE_SIZE }),
  jobPath: (id: string | number) => `/api/jobs/${id}`,
  retry: (id: number) => api.post<Job>(`/api/jobs/${id}/retry`),
};
