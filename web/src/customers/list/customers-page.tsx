import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { PageHeader } from '../../ui/page.js';
import { PagedList } from '../../ui/paged-list.js';
import { useApiData, useApiList } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { may } from '../../ui/permissions.js';
import { customersApi, type CustomerCount, type CustomerSummary } from '../customers.api.js';
import { segmentsApi, type Segment } from '../segments/segments.api.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { CustomerFilters, CustomerSort, filtersFrom } from './customer-filters.js';
import { CustomerTable } from './customer-table.js';
import { NewCustomerDialog } from './new-customer-dialog.js';

export function CustomersPage() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const filters = filtersFrom(params);
  // Typing settles before the list and its count ask again; the address follows every keystroke.
  const settled = filtersFrom(new URLSearchParams(useDebouncedValue(params.toString(), 250)));
  const list = useCursorPages<'customers', CustomerSummary>(customersApi.listPath(settled), 'customers');
  // The total only matters when the list has more than its first page; an estimate above 10,000.
  const total = useApiData<CustomerCount>(list.hasMore ? customersApi.countPath(settled) : null);
  const segments = useApiList<'segments', Segment>(segmentsApi.listPath, 'segments');
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
      <CustomerFilters segments={segments.items ?? []} />
      <PagedList
        list={list}
        what="customers"
        noun={['customer', 'customers']}
        total={total.stale ? undefined : total.data}
        toolbar={<CustomerSort />}
        empty={
          filtered
            ? { title: 'No customers match', hint: 'Try another spelling, or clear some filters.' }
            : { title: 'No customers yet', hint: 'Create one, or import a CSV file from the Import tab.' }
        }
      >
        {(items) => <CustomerTable customers={items} />}
      </PagedList>
      {creating && (
        <NewCustomerDialog
          onClose={() => setCreating(false)}
          onCreated={(customer) => navigate(`/customers/${customer.id}`)}
        />
      )}
    </>
  );
}
