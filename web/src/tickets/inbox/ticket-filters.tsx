import { Link } from 'react-router-dom';
import { choicesOf } from '../../ui/choices.js';
import { FilterBar, UrlSelectFilter, UrlTextFilter, useUrlFilters } from '../../ui/filters.js';
import { formatNumber } from '../../ui/format.js';
import { isKeyOf } from '../../ui/vocabulary.js';
import {
  inboxViews,
  kindLabels,
  priorityLabels,
  statusLabels,
  ticketKinds,
  ticketPriorities,
  ticketStatuses,
  viewLabels,
  type InboxView,
} from '../ticket-vocabulary.js';
import type { TicketCounts, TicketListFilters, TicketQueue } from '../tickets.api.js';

/** What the counts count and an unfiltered inbox lists: tickets that still ask for work. */
const stillOpen = 'new,open,pending_customer';
/** The status filter's value for tickets in any status, resolved and closed ones too. */
const anyStatus = 'any';

export const viewOf = (params: URLSearchParams): InboxView => {
  const view = params.get('view');
  return isKeyOf(viewLabels, view) ? view : 'mine';
};

/** The inbox's view and filters as they stand in the address, so a filtered inbox can be shared. */
export function filtersFrom(params: URLSearchParams): TicketListFilters {
  const status = params.get('status');
  const kind = params.get('kind');
  const priority = params.get('priority');
  return {
    view: viewOf(params),
    status: status === anyStatus ? undefined : isKeyOf(statusLabels, status) ? status : stillOpen,
    kind: isKeyOf(kindLabels, kind) ? kind : undefined,
    priority: isKeyOf(priorityLabels, priority) ? priority : undefined,
    queueId: params.get('queueId') || undefined,
    q: params.get('q') || undefined,
  };
}

/** Whether anything beyond the view narrows the list. */
export const isFiltered = (params: URLSearchParams) =>
  ['status', 'kind', 'priority', 'queueId', 'q'].some((name) => params.get(name));

/** The inbox's views as tabs, each with how many open tickets it holds now. */
export function InboxViews({ counts }: { counts: TicketCounts | undefined }) {
  const { params } = useUrlFilters();
  const current = viewOf(params);
  const linkTo = (view: InboxView) => {
    const next = new URLSearchParams(params);
    next.set('view', view);
    return `?${next.toString()}`;
  };
  return (
    <nav className="tabs ticket-views" aria-label="Inbox views">
      {inboxViews.map((view) => (
        <Link
          key={view}
          to={linkTo(view)}
          replace
          className={view === current ? 'tab active' : 'tab'}
          aria-current={view === current ? 'page' : undefined}
        >
          {viewLabels[view]}
          {counts && (
            <span className={view === 'breaching' && counts[view] > 0 ? 'tab-count tab-count-alert' : 'tab-count'}>
              {formatNumber(counts[view])}
            </span>
          )}
        </Link>
      ))}
    </nav>
  );
}

export function TicketFilters({ queues }: { queues: TicketQueue[] }) {
  return (
    <FilterBar label="Filter tickets">
      <UrlTextFilter name="q" label="Search" placeholder="Subject or ticket number" wide />
      <UrlSelectFilter
        name="status"
        label="Status"
        any="Still open"
        choices={[...choicesOf(ticketStatuses, statusLabels), { value: anyStatus, label: 'Any status' }]}
      />
      <UrlSelectFilter name="kind" label="Kind" any="Any kind" choices={choicesOf(ticketKinds, kindLabels)} />
      <UrlSelectFilter
        name="priority"
        label="Priority"
        any="Any priority"
        choices={choicesOf(ticketPriorities, priorityLabels)}
      />
      <UrlSelectFilter
        name="queueId"
        label="Queue"
        any="Any queue"
        choices={queues.map((queue) => ({ value: queue.id, label: queue.name }))}
      />
    </FilterBar>
  );
}
