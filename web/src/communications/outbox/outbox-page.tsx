import { Link, useParams } from 'react-router-dom';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { LoadMore, PagedList } from '../../ui/paged-list.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { communicationsApi, type Communication, type CommunicationDetail } from '../communications.api.js';
import { ArchivedCopy } from '../copy/archived-copy.js';
import { StatusBadge } from '../status-badges.js';

const OUTBOX = { transport: 'outbox' };

function SelectedMessage({ id }: { id: string }) {
  const communication = useApiData<CommunicationDetail>(communicationsApi.communicationPath(id));
  const shown = communication.data?.id === id ? communication.data : undefined;
  return (
    <Loaded what="the message" data={shown} error={communication.error} onRetry={communication.reload}>
      {(message) => (
        <section className="card outbox-message" aria-label="Message">
          <div className="comm-card-heading">
            <span className="muted">
              {message.templateName} to <Link to={`/customers/${message.customerId}`}>{message.customerName}</Link>
            </span>
            <Link to={`/communications/${message.id}`}>Open the communication</Link>
          </div>
          <ArchivedCopy communication={message} />
        </section>
      )}
    </Loaded>
  );
}

/**
 * Email kept in Tidings because no SMTP server is configured, like a mail catcher: every message
 * exactly as it would have gone out.
 */
export function OutboxPage() {
  const { id } = useParams();
  const list = useCursorPages<'communications', Communication>(communicationsApi.listPath(OUTBOX), 'communications');

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Email kept here instead of being sent, because no SMTP server is configured (SMTP_URL). Each message is the exact .eml that would have gone out."
        actions={
          <button type="button" className="button" onClick={list.reload}>
            Refresh
          </button>
        }
      />
      <PagedList
        list={list}
        more="none"
        what="the outbox"
        empty={{ title: 'The outbox is empty', hint: 'Email sent while no SMTP server is configured lands here.' }}
      >
        {(items) => (
          <div className="outbox">
            <nav className="outbox-list" aria-label="Outbox messages">
              <ul>
                {items.map((message) => (
                  <li key={message.id}>
                    <Link
                      to={`/communications/outbox/${message.id}`}
                      className={message.id === id ? 'outbox-item outbox-item-selected' : 'outbox-item'}
                      aria-current={message.id === id ? 'true' : undefined}
                    >
                      <span className="outbox-to">{message.address}</span>
                      <span className="outbox-time muted small">
                        {formatDateTime(message.sentAt ?? message.createdAt)}
                      </span>
                      <span className="outbox-subject">{message.templateName}</span>
                      <span className="muted small">
                        {message.customerName} · <StatusBadge status={message.status} />
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
              <LoadMore list={list} block />
            </nav>
            <div className="outbox-reader">
              {id ? (
                <SelectedMessage id={id} />
              ) : (
                <Empty title="Choose a message">
                  Its headers and body show here, as the recipient’s mail client would show them.
                </Empty>
              )}
            </div>
          </div>
        )}
      </PagedList>
    </>
  );
}
