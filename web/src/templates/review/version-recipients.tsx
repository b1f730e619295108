import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { communicationStatuses, statusLabels } from '../../communications/communication-vocabulary.js';
import { communicationsLink } from '../../communications/list/communication-filters.js';
import { batchRunsApi, type VersionRecipients as Recipients } from '../../communications/runs/batch-runs.api.js';
import { RunStatusBadge } from '../../communications/status-badges.js';
import { channelLabels, channels } from '../../customers/customer-vocabulary.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import {} from '../template-vocabulary.js';
import { may } from '../../ui/permissions.js';
import type { TemplateVersion } from '../templates.api.js';

const customers = (n: number) => `${formatNumber(n)} ${n === 1 ? 'customer' : 'customers'}`;

/** A corrective mailing of the published version to the customers who received this one, asked once more. */
function CorrectiveMailing({ versionId, summary }: { versionId: string; summary: Recipients }) {
  const navigate = useNavigate();
  const correction = summary.correction!;
  const label = `Send version ${correction.versionNumber} to the ${customers(correction.recipients)} who received version ${summary.versionNumber}`;
  return (
    <ConfirmButton
      label={label}
      question={`Send version ${correction.versionNumber} to ${customers(correction.recipients)}?`}
      consequence={`A batch run sends the published version ${correction.versionNumber} of ${summary.templateName} to everyone who received version ${summary.versionNumber}, each with the data of the communication they got, on their preferred channel. Customers who already have version ${correction.versionNumber} are left out.`}
      confirmLabel="Start the corrective mailing"
      onConfirm={async () => {
        const run = await batchRunsApi.startCorrective({
          correctsVersionIds: [versionId],
          versionId: correction.versionId,
        });
        navigate(`/communications/runs/${run.id}`);
      }}
    />
  );
}

/** Who received this version: its communications by status and channel, and a corrective mailing when a newer version is published. */
export function VersionRecipients({ version }: { version: TemplateVersion }) {
  const user = useSignedInUser();
  const summary = useApiData<Recipients>(batchRunsApi.recipientsPath(version.id));
  // Staff who may not see communications see nothing of them here either.
  if (summary.error instanceof ApiError && summary.error.status === 403) return null;
  if (summary.error !== undefined && !summary.data)
    return <ErrorNotice error={summary.error} onRetry={summary.reload} />;
  const data = summary.data;
  const usedChannels = data ? channels.filter((channel) => data.channels[channel]) : [];

  return (
    <section className="card version-recipients" aria-labelledby="recipients-heading">
      <h2 id="recipients-heading">Who received this version</h2>
      {!data ? (
        <p className="muted">Counting…</p>
      ) : data.communications === 0 ? (
        <p className="muted">No communication has been sent with this version.</p>
      ) : (
        <>
          <p>
            <span className="strong">{customers(data.recipients)}</span> received it (
            {formatNumber(data.communications)} {data.communications === 1 ? 'communication' : 'communications'} in
            all). <Link to={communicationsLink({ templateVersionId: version.id })}>Show its communications</Link>
          </p>
          <dl className="run-counts" aria-label="Communications of this version by status">
            {communicationStatuses
              .filter((status) => data.statuses[status])
              .map((status) => (
                <div key={status} className="run-count">
                  <dt>{statusLabels[status]}</dt>
                  <dd>
                    <Link to={communicationsLink({ templateVersionId: version.id, status })}>
                      {formatNumber(data.statuses[status]!)}
                    </Link>
                  </dd>
                </div>
              ))}
          </dl>
          <dl className="run-counts" aria-label="Communications of this version by channel">
            {usedChannels.map((channel) => (
              <div key={channel} className="run-count">
                <dt>{channelLabels[channel]}</dt>
                <dd>
                  <Link to={communicationsLink({ templateVersionId: version.id, channel })}>
                    {formatNumber(data.channels[channel]!)}
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {data?.correction && (
        <div className="version-correction">
          {data.correction.recipients === 0 ? (
            <p className="muted">Everyone who received it has version {data.correction.versionNumber} now.</p>
          ) : may(user, 'runs.manage') ? (
            <CorrectiveMailing versionId={version.id} summary={data} />
          ) : (
            <p className="muted">
              {customers(data.correction.recipients)} have not had version {data.correction.versionNumber}; managers and
              authors can send it to them.
            </p>
          )}
        </div>
      )}
      {data && data.correctiveRuns.length > 0 && (
        <ul className="plain-list" aria-label="Corrective mailings">
          {data.correctiveRuns.map((run) => (
            <li key={run.id}>
              <Link to={`/communications/runs/${run.id}`}>
                Version {run.versionNumber} to {customers(run.total)}
              </Link>{' '}
              <RunStatusBadge status={run.status} />{' '}
              <span className="muted small">{formatDateTime(run.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
