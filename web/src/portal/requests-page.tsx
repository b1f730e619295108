import { Link } from 'react-router-dom';
import { formatDateTime } from '../ui/format.js';
import { PagedList } from '../ui/paged-list.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { PortalHeader } from './portal-layout.js';
import { ticketKindLabels, ticketStatusLabels } from './portal-vocabulary.js';
import { portalApi, type PortalTicketSummary } from './portal.api.js';

export function TicketStatus({ status }: { status: PortalTicketSummary['status'] }) {
  const settled = status === 'resolved' || status === 'closed';
  const yourTurn = status === 'pending_customer';
  return (
    <span className={settled ? 'status status-off' : yourTurn ? 'status portal-status-turn' : 'status status-ok'}>
      {ticketStatusLabels[status]}
    </span>
  );
}

/** The customer's requests and complaints, the latest change first. */
export function RequestsPage() {
  const tickets = useCursorPages<'items', PortalTicketSummary>(portalApi.ticketsPath, 'items');
  return (
    <>
      <PortalHeader title="Requests">
        <p>Your questions, requests and complaints, and our answers.</p>
      </PortalHeader>
      <p className="portal-actions">
        <Link className="button button-primary" to="/portal/requests/new">
          New request
        </Link>
        <Link className="button" to="/portal/requests/new?kind=complaint">
          Make a complaint
        </Link>
      </p>
      <PagedList
        list={tickets}
        what="your requests"
        more="block"
        empty={{ title: 'No requests yet', hint: 'Ask us anything, or tell us what went wrong.' }}
      >
        {(items) => (
          <ul className="portal-list" aria-label="Requests">
            {items.map((ticket) => (
              <li key={ticket.id}>
                <Link to={`/portal/requests/${ticket.id}`} className="portal-list-item">
                  <span className="portal-list-title">{ticket.subject}</span>
                  <span className="portal-list-meta">
                    <span>
                      {ticketKindLabels[ticket.kind]} #{ticket.number}
                    </span>
                    <TicketStatus status={ticket.status} />
                    <time dateTime={ticket.updatedAt}>{formatDateTime(ticket.updatedAt)}</time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
