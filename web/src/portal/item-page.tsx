import { Link, useParams } from 'react-router-dom';
import { portalHtml } from '../templates/preview/portal-html.js';
import { formatDateTime } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { ChannelLabel, titleOf } from './inbox-page.js';
import { PortalHeader } from './portal-layout.js';
import { portalApi, type PortalCommunication } from './portal.api.js';

const isPdf = (item: PortalCommunication) => item.mediaType === 'application/pdf';

const downloadLabel = (item: PortalCommunication) =>
  isPdf(item) ? 'Download the PDF' : item.channel === 'email' ? 'Download the email (.eml)' : 'Download a copy';

/** The item as it was sent: a letter's PDF in the page, an email or message as HTML, a text message as text. */
function AsSent({ item }: { item: PortalCommunication }) {
  if (isPdf(item))
    // A frame, not an object: the content security policy allows no plugins.
    return <iframe className="portal-frame portal-frame-pdf" src={item.copyUrl} title="Letter as sent" />;
  if (item.html !== null && item.channel === 'portal')
    return (
      // A portal message is held to the portal policy (text structure and links only), so it sits in the page.
      <div
        className="card portal-card portal-message-html"
        dangerouslySetInnerHTML={{ __html: portalHtml(item.html) }}
      />
    );
  if (item.html !== null)
    return (
      // Sandboxed without scripts, so nothing in what was sent can run here; its links open in a tab of
      // their own, as a mail client opens them (an unsubscribe link, a link to the help centre).
      <iframe
        className="portal-frame"
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        srcDoc={`<base target="_blank">${item.html}`}
        title="Email as sent"
      />
    );
  if (item.text !== null)
    return (
      <p className={item.channel === 'sms' ? 'portal-sms' : 'portal-text'} aria-label="Text as sent">
        {item.text}
      </p>
    );
  return <p className="muted">This copy cannot be shown here; download it instead.</p>;
}

/** A complaint about this item: the one already made, or the way to make one. */
function Complaint({ item }: { item: PortalCommunication }) {
  if (item.complaint)
    return (
      <p className="portal-complaint">
        You complained about this:{' '}
        <Link to={`/portal/requests/${item.complaint.ticketId}`}>Complaint #{item.complaint.number}</Link>
      </p>
    );
  return (
    <Link
      className="button portal-complain"
      to={`/portal/requests/new?kind=complaint&communicationId=${encodeURIComponent(item.id)}`}
    >
      Complain about this
    </Link>
  );
}

export function ItemPage() {
  const { id = '' } = useParams();
  const item = useApiData<PortalCommunication>(portalApi.communicationPath(id));
  const shown = item.data?.id === id ? item.data : undefined;
  return (
    <Loaded what="the message" data={shown} error={item.error} onRetry={item.reload}>
      {(communication) => (
        <article className="portal-item">
          <PortalHeader title={titleOf(communication)}>
            <p className="portal-list-meta">
              <ChannelLabel channel={communication.channel} />
              <time dateTime={communication.sentAt}>{formatDateTime(communication.sentAt)}</time>
            </p>
          </PortalHeader>
          <AsSent item={communication} />
          <div className="portal-item-actions">
            <a className="button" href={communication.downloadUrl} download>
              {downloadLabel(communication)}
            </a>
            {isPdf(communication) && (
              <a href={communication.copyUrl} target="_blank" rel="noreferrer">
                Open the letter in a new tab
              </a>
            )}
            <Complaint item={communication} />
          </div>
          <p>
            <Link to="/portal">Back to the inbox</Link>
          </p>
        </article>
      )}
    </Loaded>
  );
}
