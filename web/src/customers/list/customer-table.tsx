import { Link } from 'react-router-dom';
import { DataTable, orDash } from '../../ui/data-table.js';
import type { CustomerSummary } from '../customers.api.js';
import { kindLabels } from '../customer-vocabulary.js';
import { LifecycleBadge, TagList } from '../customer-badges.js';

export function CustomerTable({ customers }: { customers: CustomerSummary[] }) {
  return (
    <DataTable
      rows={customers}
      rowKey={(customer) => customer.id}
      rowClassName={(customer) => (customer.archivedAt ? 'row-inactive' : undefined)}
      columns={(column) => [
        {
          header: 'Name',
          className: 'strong',
          cell: (customer) => (
            <>
              <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
              {customer.archivedAt && <span className="badge badge-archived">Archived</span>}
            </>
          ),
        },
        { header: 'Kind', cell: (customer) => kindLabels[customer.kind] },
        {
          header: 'Email',
          className: 'email-cell',
          cell: ({ emails }) =>
            orDash(
              emails[0] && (
                <>
                  {emails[0]}
                  {emails.length > 1 && <span className="muted"> +{emails.length - 1}</span>}
                </>
              ),
            ),
        },
        { header: 'Lifecycle', cell: (customer) => <LifecycleBadge stage={customer.lifecycleStage} /> },
        { header: 'Tags', cell: (customer) => <TagList tags={customer.tags} /> },
        column.date('Updated', (customer) => customer.updatedAt),
      ]}
    />
  );
}
