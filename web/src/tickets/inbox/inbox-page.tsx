import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedList } from '../../ui/paged-list.js';
import { may } from '../../ui/permissions.js';
import { useApiData, useApiList } from '../../ui/use-api-data.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { ticketsApi, type Ticket, type TicketCounts, type TicketQueue } from '../tickets.api.js';
import { viewLabels } from '../ticket-vocabulary.js';
import { filtersFrom, InboxViews, isFiltered, TicketFilters, viewOf } from './ticket-filters.js';
import { NewTicketDialog } from './new-ticket-dialog.js';
import { TicketTable } from './ticket-table.js';

// The counts follow the work of the whole desk: new tickets, assignments and breaches by others.
const COUNTS_REFRESH_MS = 30_000;

/** The agent inbox: mine, my teams', unassigned, breaching soon and all, with live counts and filters. */
export function InboxPage() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const filters = filtersFrom(params);
  const listPath = useDebouncedValue(ticketsApi.listPath(filters), 250);
  const list = useCursorPages<'tickets', Ticket>(listPath, 'tickets');
  const counts = useApiData<TicketCounts>(ticketsApi.countsPath, { refreshEveryMs: COUNTS_REFRESH_MS });
  const queues = useApiList<'queues', TicketQueue>(ticketsApi.queuesPath, 'queues');
  const view = viewOf(params);

  return (
    <>
      <PageHeader
        title="Inbox"
        description="Requests, inquiries and complaints, with their service-level clocks. A complaint names the communication it is about."
        actions={
          <>
            {may(user, 'canned_responses.read') && (
              <Link to="/tickets/canned-responses" className="button">
                Canned responses
              </Link>
            )}
            <PrimaryAction permission="tickets.work" onClick={() => setCreating(true)}>
              New ticket
            </PrimaryAction>
          </>
        }
      />
      <InboxViews counts={counts.data} />
      <TicketFilters queues={queues.items ?? []} />
      <PagedList
        list={list}
        what="tickets"
        noun={['ticket', 'tickets']}
        toolbar={
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              list.reload();
              counts.reload();
            }}
          >
            Refresh
          </button>
        }
        empty={
          isFiltered(params)
            ? { title: 'No ticket matches', hint: 'Clear a filter to see more.' }
            : { title: `Nothing in “${viewLabels[view]}”`, hint: 'Tickets that ask for work appear here.' }
        }
      >
        {(items) => <TicketTable tickets={items} />}
      </PagedList>
      {creating && (
        <NewTicketDialog
          queues={queues.items ?? []}
          onClose={() => setCreating(false)}
          onCreated={(ticket) => navigate(`/tickets/${ticket.id}`)}
        />
      )}
    </>
  );
}
