import { useEffect } from 'react';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiList, useInvalidate } from '../../ui/use-api-data.js';
import { runHasEnded } from '../communication-vocabulary.js';
import { RunStatusBadge } from '../status-badges.js';
import { audienceOf, batchRunsApi, type BatchRunListItem } from './batch-runs.api.js';
import { RunProgressBar } from './run-progress.js';
import { useRunProgress } from './use-run-progress.js';

/**
 * A browser opens only a few connections to one server at a time: this many unfinished runs are
 * followed through their event streams, any further ones are asked for their progress now and then.
 */
const LIVE_STREAMS = 3;

/**
 * The list does not carry delivery counts: a finished run shows its end state, an unfinished one
 * follows its own progress while it is on screen. When its status moves on (started, paused,
 * finished), the list is asked again for the rest of the row.
 */
function RunProgressCell({ run, live }: { run: BatchRunListItem; live: boolean }) {
  const ended = runHasEnded(run.status);
  const { progress } = useRunProgress(run.id, { live, enabled: !ended });
  const invalidate = useInvalidate();
  const status = progress?.status ?? run.status;
  useEffect(() => {
    if (status !== run.status) void invalidate(batchRunsApi.listPath);
  }, [status, run.status, invalidate]);
  // A run awaiting print has done its own work: only the print batch is left.
  const allDone = run.status === 'completed' || run.status === 'awaiting_print';
  const shown = progress ?? {
    status: run.status,
    done: allDone ? run.total : run.created,
    total: run.total,
    percent: allDone ? 100 : 0,
  };
  return (
    <div className="run-progress-cell">
      <RunProgressBar progress={shown} label={`Progress of the ${run.templateName} run`} />
      <span className="muted small">
        {progress || allDone ? `${Math.round(shown.percent)}%` : ended ? 'Stopped' : '…'}
      </span>
    </div>
  );
}

export function BatchRunsPage() {
  const user = useSignedInUser();
  const runs = useApiList<'runs', BatchRunListItem>(batchRunsApi.listPath, 'runs');
  const followed = new Set(
    (runs.items ?? [])
      .filter((run) => !runHasEnded(run.status))
      .slice(0, LIVE_STREAMS)
      .map((run) => run.id),
  );

  return (
    <>
      <PageHeader
        title="Batch runs"
        description="A published template sent to every customer of a segment or, in a corrective mailing, to everyone who received an older version; each on the channel they prefer and consented to, quiet hours respected."
        actions={<PrimaryAction to="/communications/runs/new" permission="runs.manage" label="New batch run" />}
      />
      <PagedTable
        list={runs}
        what="batch runs"
        empty={{
          title: 'No batch runs yet',
          hint: may(user, 'runs.manage')
            ? 'Start one with “New batch run”: pick a published template and a segment.'
            : 'Managers and authors start them.',
        }}
        label="Batch runs"
        rowKey={(run) => run.id}
        columns={(column) => [
          column.link('Template', (run) => ({
            to: `/communications/runs/${run.id}`,
            label: run.templateName,
            note: `by ${run.createdBy}`,
          })),
          { header: 'Audience', cell: (run) => audienceOf(run) ?? <span className="muted">Deleted segment</span> },
          { header: 'Status', cell: (run) => <RunStatusBadge status={run.status} /> },
          { header: 'Progress', cell: (run) => <RunProgressCell run={run} live={followed.has(run.id)} /> },
          {
            header: 'Made / total',
            numeric: true,
            className: 'nowrap',
            cell: (run) => `${formatNumber(run.created)} / ${formatNumber(run.total)}`,
          },
          {
            header: 'Started',
            className: 'nowrap',
            cell: (run) =>
              run.startedAt ? (
                formatDateTime(run.startedAt)
              ) : (
                <span className="muted">
                  {run.status === 'scheduled' ? `Scheduled for ${formatDateTime(run.scheduledAt)}` : '—'}
                </span>
              ),
          },
          column.date('Finished', (run) => run.finishedAt),
        ]}
      />
    </>
  );
}
