import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { Facts, type Fact } from '../../ui/facts.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { useCurrency } from '../../ui/use-currency.js';
import { Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { formatBytes, inDelivery, purposeLabel } from '../communication-vocabulary.js';
import { communicationsApi, type CommunicationDetail } from '../communications.api.js';
import { ArchivedCopy } from '../copy/archived-copy.js';
import { StatusBadge } from '../status-badges.js';
import { AttemptsTable } from './attempts-table.js';

/**
 * Still in delivery: the page follows it until it settles. A letter awaiting print is left alone, since its print
 * batch may take a day.
 */
const inFlight = (communication: CommunicationDetail) => inDelivery.includes(communication.status);

const CommFacts = ({ facts, label }: { facts: Fact[]; label: string }) => (
  <Facts facts={facts} label={label} className="comm-facts" itemClassName="comm-fact" />
);

const dash = <span className="muted">—</span>;
const hash = (value: string | null) => (value ? <code className="comm-hash">{value}</code> : dash);

function Summary({ communication }: { communication: CommunicationDetail }) {
  return (
    <section className="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      <CommFacts
        label="Summary"
        facts={[
          ['Customer', <Link to={`/customers/${communication.customerId}`}>{communication.customerName}</Link>],
          [
            'Template',
            <Link to={`/templates/${communication.templateKey}/versions/${communication.versionNumber}`}>
              {communication.templateName} · version {communication.versionNumber}
            </Link>,
          ],
          ['Purpose', purposeLabel(communication.purpose)],
          [
            'Status',
            <>
              <StatusBadge status={communication.status} />
              {communication.statusReason && <div className="comm-reason">{communication.statusReason}</div>}
            </>,
          ],
          ['Created', formatDateTime(communication.createdAt, { seconds: true })],
          ...(communication.batchRunId ? [] : [['Requested by', communication.createdBy] as [string, ReactNode]]),
          ['Sent', formatDateTime(communication.sentAt, { seconds: true })],
          ['Delivered', formatDateTime(communication.deliveredAt, { seconds: true })],
          [
            'Batch run',
            communication.batchRunId ? (
              <Link to={`/communications/runs/${communication.batchRunId}`}>Open the run</Link>
            ) : (
              'Sent on its own'
            ),
          ],
        ]}
      />
    </section>
  );
}

function ChannelAndWhy({ communication }: { communication: CommunicationDetail }) {
  const { channel, failedChannels } = communication;
  const currency = useCurrency();
  return (
    <section className="card" aria-labelledby="channel-heading">
      <h2 id="channel-heading">Channel and why</h2>
      <CommFacts
        label="Channel and why"
        facts={[
          [
            'Channel',
            channel ? (
              <span className="strong">{channelLabels[channel]}</span>
            ) : (
              <span className="muted">Not routed yet</span>
            ),
          ],
          ['Why', communication.channelReason ?? dash],
          ...(failedChannels.length
            ? [
                [
                  'Fell back from',
                  `${failedChannels.map((failed) => channelLabels[failed]).join(', ')}: failed for this message`,
                ] as [string, ReactNode],
              ]
            : []),
          ['Address', communication.address ?? dash],
          ...(communication.deferUntil
            ? [['Deferred until', formatDateTime(communication.deferUntil)] as [string, ReactNode]]
            : []),
          ['Handed to', communication.transport ?? dash],
          [
            'Provider message id',
            communication.providerMessageId ? <code>{communication.providerMessageId}</code> : dash,
          ],
          ...(communication.printBatchId || communication.status === 'awaiting_print'
            ? [
                [
                  'Print batch',
                  <Link to="/communications/print-batches">
                    {communication.printBatchId ? 'In a print batch' : 'Waits for the next print batch'}
                  </Link>,
                ] as [string, ReactNode],
              ]
            : []),
          ['Language', communication.language ?? dash],
          ['Cost', formatMoney(communication.costMillicents, currency)],
        ]}
      />
    </section>
  );
}

function Proof({ communication }: { communication: CommunicationDetail }) {
  const archived = communication.archiveSha256 !== null && communication.snapshotSha256 !== null;
  const user = useSignedInUser();
  const downloadable = archived && may(user, 'communications.copies');
  return (
    <section className="card" aria-labelledby="proof-heading">
      <div className="comm-card-heading">
        <h2 id="proof-heading">Proof</h2>
        {downloadable && (
          <a className="button button-small" href={communicationsApi.proofPath(communication.id)} download>
            Download proof (ZIP)
          </a>
        )}
      </div>
      <CommFacts
        label="Proof"
        facts={[
          ['Copy SHA-256', hash(communication.archiveSha256)],
          [
            'Copy',
            communication.archiveMediaType
              ? `${communication.archiveMediaType}, ${formatBytes(communication.archiveSize)}`
              : dash,
          ],
          ['Snapshot SHA-256', hash(communication.snapshotSha256)],
        ]}
      />
      <p className="muted small comm-note">
        {archived
          ? 'The ZIP holds the exact copy, the data snapshot it was rendered from, every attempt and a SHA256SUMS manifest.'
          : 'The proof package exists once the communication is rendered.'}
      </p>
    </section>
  );
}

/** One communication: who got what, by which channel and why, the exact copy, and every attempt. */
export function CommunicationPage() {
  const { id = '' } = useParams();
  // Followed every few seconds until it settles; then it is left alone.
  const [following, setFollowing] = useState(true);
  const communication = useApiData<CommunicationDetail>(communicationsApi.communicationPath(id), {
    refreshEveryMs: following ? 3000 : undefined,
  });
  const shown = communication.data?.id === id ? communication.data : undefined;
  const moving = shown ? inFlight(shown) : communication.error === undefined;
  if (moving !== following) setFollowing(moving);
  const title = shown ? `${shown.templateName} to ${shown.customerName}` : 'Communication';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/communications">← All communications</Link>
      </p>
      <PageHeader
        title={title}
        description={
          shown && (
            <span className="comm-headline">
              <StatusBadge status={shown.status} />
              {shown.statusReason && <span>{shown.statusReason}</span>}
              <span className="muted">
                {purposeLabel(shown.purpose)} · version {shown.versionNumber} · created{' '}
                {formatDateTime(shown.createdAt)}
              </span>
            </span>
          )
        }
      />
      <Loaded what="the communication" data={shown} error={communication.error} onRetry={communication.reload}>
        {(loaded) => (
          <div className="stack">
            <div className="comm-layout">
              <section className="card comm-main" aria-labelledby="copy-heading">
                <h2 id="copy-heading">Sent copy</h2>
                <ArchivedCopy communication={loaded} />
              </section>
              <div className="comm-side">
                <Summary communication={loaded} />
                <ChannelAndWhy communication={loaded} />
                <Proof communication={loaded} />
              </div>
            </div>
            <section className="card" aria-labelledby="attempts-heading">
              <h2 id="attempts-heading">Attempts</h2>
              <AttemptsTable attempts={loaded.attempts} />
            </section>
          </div>
        )}
      </Loaded>
    </>
  );
}
