import { Link, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../customers/customer-permissions.js';
import { useCursorPages } from '../../customers/use-cursor-pages.js';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, ErrorNotice, Loading } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { COMMUNICATION_CURSOR, communicationsApi, type Communication } from '../communications.api.js';
import { batchRunsApi, type BatchRunListItem } from '../runs/batch-runs.api.js';
import { CommunicationFilters, filtersFrom } from './communication-filters.js';
import { CommunicationTable } from './communication-table.js';

/** Every communication, newest first, filtered by what the address says. */
export function CommunicationsPage() {
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const list = useCursorPages<'communications', Communication>(
    communicationsApi.listPath(filters),
    'communications',
    COMMUNICATION_CURSOR,
  );
  const templates = useApiData<{ templates: TemplateListItem[] }>(templatesApi.listPath({}));
  const runs = useApiData<{ runs: BatchRunListItem[] }>(batchRunsApi.listPath);
  const filtered = Object.values(filters).some(Boolean);
  const hidden = filters.customerId || filters.transport;

  return (
    <>
      <PageHeader
        title="Communications"
        description="Every letter, email, text, fax and portal message, with the channel it took, why, and the exact copy that was sent."
        actions={
          may(user, 'runs.manage') && (
            <Link to="/communications/runs/new" className="button button-primary">
              New batch run
            </Link>
          )
        }
      />
      <CommunicationFilters
        params={params}
        setParams={setParams}
        templates={templates.data?.templates ?? []}
        runs={runs.data?.runs ?? []}
      />
      {hidden && (
        <p className="notice comm-notice-info comm-scope">
          <span>
            {filters.customerId && 'Only one customer’s communications are shown. '}
            {filters.transport && `Only those handed to the ${filters.transport} transport are shown.`}
          </span>
          <Link to="/communications" className="button button-small">
            Show all
          </Link>
        </p>
      )}
      <div className="toolbar">
        <span className="muted" role="status">
          {list.items &&
            (list.items.length === 1
              ? '1 communication'
              : `${formatNumber(list.items.length)}${list.hasMore ? '+' : ''} communications`)}
          {list.loading && ' · updating…'}
        </span>
        <button type="button" className="button button-small" onClick={list.reload}>
          Refresh
        </button>
      </div>
      {list.error !== undefined && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.items === undefined ? (
        list.error === undefined && <Loading what="communications" />
      ) : list.items.length === 0 ? (
        <Empty title={filtered ? 'No communication matches' : 'Nothing sent yet'}>
          {filtered
            ? 'Clear a filter to see more.'
            : 'Communications appear here as soon as a batch run or an API call sends one.'}
        </Empty>
      ) : (
        <div className={list.loading ? 'comm-refreshing' : undefined} aria-busy={list.loading}>
          <CommunicationTable communications={list.items} />
          {list.hasMore && (
            <div className="table-footer">
              <span />
              <button type="button" className="button" disabled={list.loadingMore} onClick={list.loadMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}
