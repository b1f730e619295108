import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { useSignedInUser } from '../../auth/session.js';
import { statusLabels } from '../../communications/communication-vocabulary.js';
import { communicationsLink } from '../../communications/list/communication-filters.js';
import { batchRunsApi, type VersionRecipients as Recipients } from '../../communications/runs/batch-runs.api.js';
import { RunStatusBadge } from '../../communications/status-badges.js';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
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

const countedBy = { status: statusLabels, channel: channelLabels } as const;

/** The version's communications by status or by channel (those not zero), each count a link to them. */
function CountLinks({
  version,
  by,
  counts,
}: {
  version: string;
  by: keyof typeof countedBy;
  counts: Record<string, number>;
}) {
  const labels: Record<string, string> = countedBy[by];
  return (
    <dl className="run-counts" aria-label={`Communications of this version by ${by}`}>
      {Object.keys(labels)
        .filter((key) => counts[key])
        .map((key) => (
          <div key={key} className="run-count">
            <dt>{labels[key]}</dt>
            <dd>
              <Link to={communicationsLink({ templateVersionId: version, [by]: key })}>
                {formatNumber(counts[key]!)}
              </Link>
            </dd>
          </div>
        ))}
    </dl>
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
          <CountLinks version={version.id} by="status" counts={data.statuses} />
          <CountLinks version={version.id} by="channel" counts={data.channels} />
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
