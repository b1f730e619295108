import { jobStatusLabels, type JobStatus } from './jobs.api.js';

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`job-status job-status-${status}`}>
      <span className={`dot job-${status}`} aria-hidden="true" />
      {jobStatusLabels[status]}
    </span>
  );
}
