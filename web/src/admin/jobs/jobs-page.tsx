import { useState } from 'react';
import { Link } from 'react-router-dom';
import { choicesIn } from '../../ui/choices.js';
import { DataTable, orDash } from '../../ui/data-table.js';
import { FilterBar, SelectFilter, TextFilter, useUrlFilters } from '../../ui/filters.js';
import { firstLine } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { PagedList } from '../../ui/paged-list.js';
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
  const filters = useUrlFilters();
  const status = asStatus(filters.get('status'));
  const [kindInput, setKindInput] = useState(filters.get('kind'));
  const kind = useDebouncedValue(kindInput.trim());
  const jobs = useApiData<JobPage>(jobsApi.listPath({ status, kind }), { refreshEveryMs: JOBS_REFRESH_MS });

  const changeKind = (value: string) => {
    setKindInput(value);
    filters.set('kind', value.trim());
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
        <JobCounts counts={jobs.data.counts} selected={status} onSelect={(next) => filters.set('status', next)} />
      )}
      <FilterBar label="Filter jobs">
        <SelectFilter
          label="Status"
          any="All statuses"
          choices={choicesIn(jobStatusLabels)}
          value={status ?? ''}
          onChange={(value) => filters.set('status', value)}
        />
        <TextFilter label="Kind" placeholder="e.g. delivery.send" value={kindInput} onChange={changeKind} />
      </FilterBar>
      <PagedList
        list={{ ...jobs, items: jobs.data?.jobs }}
        what="jobs"
        empty={{
          title: status || kind ? 'No jobs match these filters' : 'No jobs yet',
          hint: 'Jobs appear here as soon as Tidings has background work to do.',
        }}
      >
        {(list) => (
          <>
            <DataTable
              rows={list}
              rowKey={(job) => job.id}
              columns={(column) => [
                { header: 'ID', cell: (job) => <Link to={String(job.id)}>#{job.id}</Link> },
                column.code('Kind', (job) => job.kind),
                { header: 'Status', cell: (job) => <JobStatusBadge status={job.status} /> },
                { header: 'Attempts', numeric: true, cell: (job) => `${job.attempts}/${job.maxAttempts}` },
                column.date('Run at', (job) => job.runAt, true),
                {
                  header: 'Last error',
                  className: 'error-cell',
                  cell: (job) => (
                    <span title={job.lastError ?? undefined}>{orDash(job.lastError && firstLine(job.lastError))}</span>
                  ),
                },
              ]}
            />
            {jobs.data?.nextCursor != null && (
              <p className="muted table-note">
                Showing the newest {JOB_PAGE_SIZE} jobs; filter by status or kind to find older ones.
              </p>
            )}
          </>
        )}
      </PagedList>
    </>
  );
}
