import { Link, useParams } from 'react-router-dom';
import { Facts, type Fact } from '../../ui/facts.js';
import { formatDateTime } from '../../ui/format.js';
import { RunButton, useSubmission } from '../../ui/form.js';
import { PageHeader } from '../../ui/page.js';
import { ErrorNotice, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { JobStatusBadge } from './job-status-badge.js';
import { isRetryable, jobsApi, JOBS_REFRESH_MS, type Job } from './jobs.api.js';

const asJson = (value: unknown) => JSON.stringify(value, null, 2);

function JobFacts({ job }: { job: Job }) {
  const facts: Fact[] = [
    ['Status', <JobStatusBadge status={job.status} />],
    ['Kind', <code>{job.kind}</code>],
    ['Attempts', `${job.attempts} of ${job.maxAttempts}`],
    ['Run at', formatDateTime(job.runAt, { seconds: true })],
    ['Created', formatDateTime(job.createdAt, { seconds: true })],
    ['Started', formatDateTime(job.startedAt, { seconds: true })],
    ['Finished', formatDateTime(job.finishedAt, { seconds: true })],
    ['Worker', job.lockedBy ?? '—'],
    ['Idempotency key', job.idempotencyKey ? <code>{job.idempotencyKey}</code> : '—'],
  ];
  return <Facts facts={facts} />;
}

export function JobDetailPage() {
  const { id = '' } = useParams();
  const job = useApiData<Job>(jobsApi.jobPath(id), { refreshEveryMs: JOBS_REFRESH_MS });
  const retry = useSubmission(async () => job.replace(await jobsApi.retry(Number(id))));

  return (
    <>
      <p className="breadcrumb">
        <Link to=".." relative="path">
          ← All jobs
        </Link>
      </p>
      <PageHeader
        title={`Job #${id}`}
        actions={
          job.data &&
          isRetryable(job.data) && <RunButton primary submission={retry} label="Retry" busyLabel="Retrying…" />
        }
      />
      {retry.error !== undefined && <ErrorNotice error={retry.error} />}
      <Loaded what="the job" data={job.data} error={job.error} onRetry={job.reload}>
        {(loaded) => (
          <div className="stack">
            <section className="card">
              <JobFacts job={loaded} />
            </section>
            {loaded.lastError && (
              <section className="card">
                <h2>Last error</h2>
                <pre className="code-block code-block-error">{loaded.lastError}</pre>
              </section>
            )}
            <section className="card">
              <h2>Progress</h2>
              {loaded.progress ? (
                <pre className="code-block">{asJson(loaded.progress)}</pre>
              ) : (
                <p className="muted">This job has not reported progress.</p>
              )}
            </section>
            <section className="card">
              <h2>Payload</h2>
              <pre className="code-block">{asJson(loaded.payload)}</pre>
            </section>
          </div>
        )}
      </Loaded>
    </>
  );
}
