import { useState } from 'react';
import { withQuery } from '../../api/client.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';

type CustomerHit = { id: string; name: string; emails: string[]; tags: string[] };
export type PreviewCustomer = { id: string; name: string };

/** Finds a real customer by name, email or phone to preview the template for. */
export function CustomerPicker({ onPick }: { onPick: (customer: PreviewCustomer) => void }) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const hits = useApiData<{ customers: CustomerHit[] }>(q ? withQuery('/api/customers', { q, limit: 8 }) : null);
  return (
    <div className="customer-picker">
      <label className="visually-hidden" htmlFor="preview-customer-search">
        Find a customer
      </label>
      <input
        id="preview-customer-search"
        type="search"
        placeholder="Find a customer by name or email"
        autoFocus
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {q && hits.error !== undefined && <ErrorNotice error={hits.error} onRetry={hits.reload} />}
      {q && hits.data && (
        <ul className="picker" aria-label="Matching customers">
          {hits.data.customers.length === 0 && <li className="muted">No customer matches “{q}”.</li>}
          {hits.data.customers.map((customer) => (
            <li key={customer.id}>
              <button
                type="button"
                className="picker-option"
                onClick={() => onPick({ id: customer.id, name: customer.name })}
              >
                <span className="strong">{customer.name}</span>
                {customer.emails[0] && <span className="muted"> · {customer.emails[0]}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
