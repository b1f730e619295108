import { Link } from 'react-router-dom';
import { formatDateTime } from '../../ui/format.js';
import type { CustomerSummary } from '../customers.api.js';
import { kindLabels } from '../customer-vocabulary.js';
import { LifecycleBadge, TagList } from '../customer-badges.js';

export function CustomerTable({ customers }: { customers: CustomerSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Email</th>
            <th>Lifecycle</th>
            <th>Tags</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((customer) => (
            <tr key={customer.id} className={customer.archivedAt ? 'row-inactive' : undefined}>
              <td className="strong">
                <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
                {customer.archivedAt && <span className="badge badge-archived">Archived</span>}
              </td>
              <td>{kindLabels[customer.kind]}</td>
              <td className="email-cell">
                {customer.emails.length ? (
                  <>
                    {customer.emails[0]}
                    {customer.emails.length > 1 && <span className="muted"> +{customer.emails.length - 1}</span>}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <LifecycleBadge stage={customer.lifecycleStage} />
              </td>
              <td>
                <TagList tags={customer.tags} />
              </td>
              <td className="nowrap">{formatDateTime(customer.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
