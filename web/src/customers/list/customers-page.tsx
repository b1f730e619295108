import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, ErrorNotice, Loading } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { may } from '../customer-permissions.js';
import { customersApi, type CustomerSummary } from '../customers.api.js';
import { segmentsApi, type Segment } from '../segments/segments.api.js';
import { useCursorPages } from '../use-cursor-pages.js';
import { CustomerFilters, CustomerSort, filtersFrom } from './customer-filters.js';
import { CustomerTable } from './customer-table.js';
import { NewCustomerDialog } from './new-customer-dialog.js';

export function CustomersPage() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const filters = filtersFrom(params);
  // Typing settles before the list asks again; the address follows every keystroke.
  const listPath = useDebouncedValue(customersApi.listPath(filters), 250);
  const list = useCursorPages<'customers', CustomerSummary>(listPath, 'customers');
  const segments = useApiData<{ segments: Segment[] }>(segmentsApi.listPath);
  const filtered = Boolean(
    filters.q || filters.lifecycle || filters.kind || filters.tag || filters.segment || filters.archived !== 'false',
  );

  return (
    <>
      <PageHeader
        title="Customers"
        description="People and organizations we communicate with. Search finds names even when misspelled, and exact emails or phone numbers."
        actions={
          <>
            {may(user, 'customers.export') && (
              <>
                <a className="button" href={customersApi.exportPath(filters, 'csv')} download>
                  Export CSV
                </a>
                <a className="button" href={customersApi.exportPath(filters, 'vcf')} download>
                  Export vCards
                </a>
              </>
            )}
            {may(user, 'customers.write') && (
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                New customer
              </button>
            )}
          </>
        }
      />
      <CustomerFilters params={params} setParams={setParams} segments={segments.data?.segments ?? []} />
      <div className="toolbar">
        <span className="muted" role="status">
          {list.items &&
            (list.items.length === 1
              ? '1 customer'
              : `${formatNumber(list.items.length)}${list.hasMore ? '+' : ''} customers`)}
          {list.loading && ' · updating…'}
        </span>
        <CustomerSort params={params} setParams={setParams} />
      </div>
      {list.error !== undefined && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.items === undefined ? (
        list.error === undefined && <Loading what="customers" />
      ) : list.items.length === 0 ? (
        <Empty title={filtered ? 'No customers match' : 'No customers yet'}>
          {filtered
            ? 'Try another spelling, or clear some filters.'
            : 'Create one, or import a CSV file from the Import tab.'}
        </Empty>
      ) : (
        <div className={list.loading ? 'refreshing' : undefined} aria-busy={list.loading}>
          <CustomerTable customers={list.items} />
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
      {creating && (
        <NewCustomerDialog
          onClose={() => setCreating(false)}
          onCreated={(customer) => navigate(`/customers/${customer.id}`)}
        />
      )}
    </>
  );
}
