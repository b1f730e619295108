import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { firstLine, formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { JobCounts } from './job-counts.js';
import { JobStatusBadge } from './job-status-badge.js';
import {
  JOB_PAGE_SIZE,
  JOBS_REFRESH_MS,
  jobStatuses,
  jobStatusLabels,
  jobsApi,
  type JobPage,
  type JobStatus,
} from './jobs.api.js';

const asStatus = (value: string | null): JobStatus | undefined => jobStatuses.find((status) => status === value);

export function JobsPage() {
  // Filters live in the address, so going back from a job's page keeps them.
  const [params, setParams] = useSearchParams();
  const status = asStatus(params.get('status'));
  const [kindInput, setKindInput] = useState(params.get('kind') ?? '');
  const kind = useDebouncedValue(kindInput.trim());
  const jobs = useApiData<JobPage>(jobsApi.listPath({ status, kind }), { refreshEveryMs: JOBS_REFRESH_MS });

  const setFilter = (name: 'status' | 'kind', value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const changeKind = (value: string) => {
    setKindInput(value);
    setFilter('kind', value.trim() || undefined);
  };

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background work shared by every Tidings process: deliveries, batch runs, text extraction, retention and SLA timers."
        actions={
          <span className="live" title="The list refreshes every 2 seconds">
            <span className="live-dot" aria-hidden="true" />
            Live
          </span>
        }
      />
      {jobs.data && (
        <JobCounts counts={jobs.data.counts} selected={status} onSelect={(next) => setFilter('status', next)} />
      )}
      <div className="filters" role="search" aria-label="Filter jobs">
        <label className="filter">
          Status
          <select value={status ?? ''} onChange={(event) => setFilter('status', event.target.value || undefined)}>
            <option value="">All statuses</option>
            {jobStatuses.map((option) => (
              <option key={option} value={option}>
                {jobStatusLabels[option]}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          Kind
          <input
            type="search"
            placeholder="e.g. delivery.send"
            value={kindInput}
            onChange={(event) => changeKind(event.target.value)}
          />
        </label>
      </div>
      <Loaded what="jobs" data={jobs.data} error={jobs.error} onRetry={jobs.reload}>
        {({ jobs: list, nextCursor }) =>
          list.length === 0 ? (
            <Empty title={status || kind ? 'No jobs match these filters' : 'No jobs yet'}>
              Jobs appear here as soon as Tidings has background work to do.
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>ID</th>
                      <th>Kind</th>
                      <th>Status</th>
                      <th className="numeric">Attempts</th>
                      <th>Run at</th>
                      <th>Last error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((job) => (
                      <tr key={job.id}>
                        <td>
                          <Link to={String(job.id)}>#{job.id}</Link>
                        </td>
                        <td>
                          <code>{job.kind}</code>
                        </td>
                        <td>
                          <JobStatusBadge status={job.status} />
                        </td>
                        <td className="numeric">
                          {job.attempts}/{job.maxAttempts}
                        </td>
                        <td>{formatDateTime(job.runAt, { seconds: true })}</td>
                        <td className="error-cell" title={job.lastError ?? undefined}>
                          {job.lastError ? firstLine(job.lastError) : <span className="muted">—</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {nextCursor !== null && (
                <p className="muted table-note">
                  Showing the newest {JOB_PAGE_SIZE} jobs; filter by status or kind to find older ones.
                </p>
              )}
            </>
          )
        }
      </Loaded>
    </>
  );
}
