import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { RoiPanel } from '../../insights/roi-panel.js';
import { may } from '../../ui/permissions.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { RunButton, useSubmission } from '../../ui/form.js';
import { Facts, type Fact } from '../../ui/facts.js';
import { formatDateTime, formatMoney, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { ErrorNotice, Loaded } from '../../ui/states.js';
import { useCurrency } from '../../ui/use-currency.js';
import { communicationsLink } from '../list/communication-filters.js';
import { RunStatusBadge } from '../status-badges.js';
import { batchRunsApi, type BatchRun, type BatchRunProgress } from './batch-runs.api.js';
import { ChannelCounts, RunProgressBar, StatusCounts } from './run-progress.js';
import { useRunProgress, type Connection } from './use-run-progress.js';

const connectionNotes: Record<Connection, ReactNode> = {
  connecting: 'Connecting…',
  live: (
    <>
      <span className="run-live-dot" aria-hidden="true" />
      Live
    </>
  ),
  reconnecting: 'Reconnecting…',
  lost: 'Live updates stopped',
  ended: 'Final',
};

/** A corrective mailing's older versions, each a link to its page. */
function CorrectedVersions({ progress }: { progress: BatchRunProgress }) {
  return (
    <>
      Recipients of{' '}
      {progress.correctsVersionNumbers!.map((number, index) => (
        <span key={number}>
          {index > 0 && ', '}
          <Link to={`/templates/${progress.templateId}/versions/${number}`}>version {number}</Link>
        </span>
      ))}
    </>
  );
}

function RunActions({ progress, onChanged }: { progress: BatchRunProgress; onChanged: (run: BatchRun) => void }) {
  const act = useSubmission(async (action: 'pause' | 'resume') => onChanged(await batchRunsApi[action](progress.id)));
  const { status } = progress;
  return (
    <>
      {act.error !== undefined && <ErrorNotice error={act.error} />}
      <div className="run-actions">
        {(status === 'running' || status === 'scheduled') && (
          <RunButton submission={act} args={['pause']} label="Pause" />
        )}
        {status === 'paused' && <RunButton primary submission={act} args={['resume']} label="Resume" />}
        {(status === 'running' || status === 'scheduled' || status === 'paused') && (
          <ConfirmButton
            label="Cancel run"
            question="Cancel this batch run?"
            consequence={`Communications not yet handed to a channel (${formatNumber(Math.max(0, progress.total - progress.done))} at most) will not be sent; they are marked suppressed. What was already sent stays sent. A cancelled run cannot be resumed.`}
            confirmLabel="Cancel the run"
            danger
            onConfirm={async () => onChanged(await batchRunsApi.cancel(progress.id))}
          />
        )}
      </div>
    </>
  );
}

function RunFacts({ progress }: { progress: BatchRunProgress }) {
  const currency = useCurrency();
  const facts: Fact[] = [
    ['Template', progress.templateName],
    [
      'Version sent',
      <Link to={`/templates/${progress.templateId}/versions/${progress.versionNumber}`}>
        Version {progress.versionNumber}
      </Link>,
    ],
    progress.correctsVersionNumbers
      ? ['Audience', <CorrectedVersions progress={progress} />]
      : [
          'Segment',
          progress.segmentName ? (
            <Link to={`/customers/segments/${progress.segmentId}`}>{progress.segmentName}</Link>
          ) : (
            <span className="muted">Deleted</span>
          ),
        ],
    ['Status', <RunStatusBadge status={progress.status} />],
    ['Made', `${formatNumber(progress.created)} of ${formatNumber(progress.total)} communications`],
    [
      'Cost so far',
      <span title="What the items handed to a channel so far cost, at the rate of their channel when they were sent">
        {formatMoney(progress.costMillicents, currency)}
      </span>,
    ],
    ['Scheduled for', formatDateTime(progress.scheduledAt)],
    ['Started', formatDateTime(progress.startedAt)],
    ['Finished', formatDateTime(progress.finishedAt)],
    ['Started by', progress.createdBy],
  ];
  return <Facts facts={facts} label="Batch run" className="comm-facts comm-facts-grid" itemClassName="comm-fact" />;
}

/** One batch run, live: progress, counts by status and channel, and the controls its state allows. */
export function BatchRunPage() {
  const { id = '' } = useParams();
  const user = useSignedInUser();
  const run = useRunProgress(id);
  const templateName = run.progress?.templateName;
  const segmentName = run.progress?.segmentName ?? undefined;
  const corrects = run.progress?.correctsVersionNumbers;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/communications/runs">← All batch runs</Link>
      </p>
      <PageHeader
        title={templateName ? `${corrects ? 'Corrective mailing' : 'Batch run'}: ${templateName}` : 'Batch run'}
        description={
          corrects
            ? `Version ${run.progress!.versionNumber} to everyone who received version ${corrects.join(', ')}, each with the data they were sent, on their preferred channel that they consented to.`
            : segmentName &&
              `To the segment “${segmentName}”, each customer on their preferred channel that they consented to.`
        }
        actions={
          run.progress && (
            <Link to={communicationsLink({ batchRunId: id })} className="button">
              Show its communications
            </Link>
          )
        }
      />
      <Loaded what="the batch run" data={run.progress} error={run.error} onRetry={run.reconnect}>
        {(progress) => (
          <div className="stack">
            <section className="card" aria-labelledby="progress-heading">
              <div className="comm-card-heading">
                <h2 id="progress-heading">Progress</h2>
                <span className={`run-connection run-connection-${run.connection}`} role="status">
                  {connectionNotes[run.connection]}
                  {run.connection === 'lost' && (
                    <button type="button" className="button button-small" onClick={run.reconnect}>
                      Reconnect
                    </button>
                  )}
                </span>
              </div>
              <div className="run-progress-label">
                <span className="strong">{Math.round(progress.percent)}%</span>
                <span className="muted">
                  {formatNumber(progress.done)} of {formatNumber(progress.total)} done
                </span>
              </div>
              <RunProgressBar progress={progress} />
              {progress.status === 'scheduled' && (
                <p className="muted comm-note">Starts {formatDateTime(progress.scheduledAt)}.</p>
              )}
              {progress.status === 'paused' && (
                <p className="muted comm-note">
                  Paused: nothing more is handed to a channel until the run is resumed.
                  {!progress.startedAt &&
                    ` It had not started yet: resumed, it waits for its start time (${formatDateTime(progress.scheduledAt)}) again.`}
                </p>
              )}
              {progress.awaitingPrint > 0 && (
                <p className="notice comm-notice-info comm-note" role="status">
                  {formatNumber(progress.awaitingPrint)}{' '}
                  {progress.awaitingPrint === 1 ? 'letter awaits' : 'letters await'} print: they go out with the next{' '}
                  <Link to="/communications/print-batches">print batch</Link>
                  {progress.status === 'awaiting_print' && ', and the run completes when they are printed'}.
                </p>
              )}
              {progress.status === 'cancelled' && (
                <p className="muted comm-note">
                  Cancelled {formatDateTime(progress.finishedAt)}. What was handed to a channel before stays sent; the
                  rest was suppressed.
                </p>
              )}
              {may(user, 'runs.manage') && <RunActions progress={progress} onChanged={run.applyRun} />}
            </section>
            <section className="card run-breakdown" aria-label="Counts">
              <StatusCounts progress={progress} />
              <ChannelCounts progress={progress} />
            </section>
            <section className="card">
              <RunFacts progress={progress} />
            </section>
            <RoiPanel kind="runs" id={progress.id} />
          </div>
        )}
      </Loaded>
    </>
  );
}
