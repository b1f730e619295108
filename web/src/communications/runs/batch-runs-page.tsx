import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../customers/customer-permissions.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { runHasEnded } from '../communication-vocabulary.js';
import { RunStatusBadge } from '../status-badges.js';
import { batchRunsApi, type BatchRunListItem, type BatchRunProgress } from './batch-runs.api.js';
import { RunProgressBar } from './run-progress.js';

const ACTIVE_REFRESH_MS = 3000;

/**
 * The list does not carry delivery counts: a finished run shows its end state, an unfinished one
 * asks for its own progress while it is on screen.
 */
function RunProgressCell({ run }: { run: BatchRunListItem }) {
  const ended = runHasEnded(run.status);
  const progress = useApiData<BatchRunProgress>(ended ? null : batchRunsApi.runPath(run.id), {
    refreshEveryMs: ACTIVE_REFRESH_MS,
  });
  const shown = progress.data ?? {
    status: run.status,
    done: run.status === 'completed' ? run.total : run.created,
    total: run.total,
    percent: run.status === 'completed' ? 100 : 0,
  };
  return (
    <div className="run-progress-cell">
      <RunProgressBar progress={shown} label={`Progress of the ${run.templateName} run`} />
      <span className="muted comm-small">
        {progress.data || run.status === 'completed' ? `${Math.round(shown.percent)}%` : ended ? 'Stopped' : '…'}
      </span>
    </div>
  );
}

export function BatchRunsPage() {
  const user = useSignedInUser();
  const runs = useApiData<{ runs: BatchRunListItem[] }>(batchRunsApi.listPath, { refreshEveryMs: 5000 });

  return (
    <>
      <PageHeader
        title="Batch runs"
        description="A published template sent to every customer of a segment, each on the channel they prefer and consented to, quiet hours respected."
        actions={
          may(user, 'runs.manage') && (
            <Link to="/communications/runs/new" className="button button-primary">
              New batch run
            </Link>
          )
        }
      />
      <Loaded what="batch runs" data={runs.data} error={runs.error} onRetry={runs.reload}>
        {({ runs: list }) =>
          list.length === 0 ? (
            <Empty title="No batch runs yet">
              {may(user, 'runs.manage')
                ? 'Start one with “New batch run”: pick a published template and a segment.'
                : 'Managers and authors start them.'}
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Batch runs">
                <thead>
                  <tr>
                    <th>Template</th>
                    <th>Segment</th>
                    <th>Status</th>
                    <th>Progress</th>
                    <th className="numeric">Made / total</th>
                    <th>Started</th>
                    <th>Finished</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((run) => (
                    <tr key={run.id}>
                      <td>
                        <Link to={`/communications/runs/${run.id}`} className="strong">
                          {run.templateName}
                        </Link>
                        <div className="muted comm-small">by {run.createdBy}</div>
                      </td>
                      <td>{run.segmentName ?? <span className="muted">—</span>}</td>
                      <td>
                        <RunStatusBadge status={run.status} />
                      </td>
                      <td>
                        <RunProgressCell run={run} />
                      </td>
                      <td className="numeric nowrap">
                        {formatNumber(run.created)} / {formatNumber(run.total)}
                      </td>
                      <td className="nowrap">
                        {run.startedAt ? (
                          formatDateTime(run.startedAt)
                        ) : (
                          <span className="muted">
                            {run.status === 'scheduled' ? `Scheduled for ${formatDateTime(run.scheduledAt)}` : '—'}
                          </span>
                        )}
                      </td>
                      <td className="nowrap">{formatDateTime(run.finishedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
