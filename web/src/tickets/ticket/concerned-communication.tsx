import { Link } from 'react-router-dom';
import { communicationsApi, type CommunicationDetail } from '../../communications/communications.api.js';
import { ArchivedCopy } from '../../communications/copy/archived-copy.js';
import { StatusBadge } from '../../communications/status-badges.js';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { formatDateTime } from '../../ui/format.js';
import { Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import type { ConcernedCommunication as Concerned } from '../tickets.api.js';

/**
 * The communication a ticket is about, shown as its archived copy (the letter's PDF, the email as
 * sent), so the agent reads exactly what the customer got, with a link to the communication itself.
 */
export function ConcernedCommunication({ concerned }: { concerned: Concerned }) {
  const communication = useApiData<CommunicationDetail>(communicationsApi.communicationPath(concerned.id));
  const shown = communication.data?.id === concerned.id ? communication.data : undefined;
  return (
    <section className="card ticket-concerned" aria-labelledby="concerned-heading">
      <div className="card-header">
        <h2 id="concerned-heading">The communication it is about</h2>
        <Link to={`/communications/${concerned.id}`} className="button button-small">
          Open the communication
        </Link>
      </div>
      <p className="ticket-concerned-summary">
        <span className="strong">
          {concerned.templateName} · version {concerned.templateVersionNumber}
        </span>
        {shown && <StatusBadge status={shown.status} />}
        <span className="muted">
          {shown?.channel ? channelLabels[shown.channel] : 'Not routed'} ·{' '}
          {concerned.sentAt
            ? `sent ${formatDateTime(concerned.sentAt)}`
            : `created ${formatDateTime(concerned.createdAt)}`}
        </span>
      </p>
      <Loaded what="the communication" data={shown} error={communication.error} onRetry={communication.reload}>
        {(loaded) => <ArchivedCopy communication={loaded} />}
      </Loaded>
    </section>
  );
}
