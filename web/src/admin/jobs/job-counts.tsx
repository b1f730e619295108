import { formatNumber } from '../../ui/format.js';
import { jobStatuses, jobStatusLabels, type JobStatus } from './jobs.api.js';

/** How many jobs are in each status, as a proportional bar and one button per status to filter by it. */
export function JobCounts({
  counts,
  selected,
  onSelect,
}: {
  counts: Partial<Record<JobStatus, number>>;
  selected?: JobStatus;
  onSelect: (status?: JobStatus) => void;
}) {
  const total = jobStatuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  return (
    <section className="job-counts" aria-label="Jobs by status">
      {total > 0 && (
        <div className="job-bar" aria-hidden="true">
          {jobStatuses.map((status) =>
            counts[status] ? (
              <span key={status} className={`job-bar-part job-${status}`} style={{ flexGrow: counts[status] }} />
            ) : null,
          )}
        </div>
      )}
      <div className="job-count-row">
        {jobStatuses.map((status) => (
          <button
            key={status}
            type="button"
            className={selected === status ? 'job-count job-count-selected' : 'job-count'}
            aria-pressed={selected === status}
            onClick={() => onSelect(selected === status ? undefined : status)}
          >
            <span className={`dot job-${status}`} aria-hidden="true" />
            <span className="job-count-label">{jobStatusLabels[status]}</span>
            <span className="job-count-value">{formatNumber(counts[status] ?? 0)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
