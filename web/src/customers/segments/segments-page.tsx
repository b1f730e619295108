import { Link } from 'react-router-dom';
import { useSignedInUser } from '../../auth/session.js';
import { formatDateTime } from '../../ui/format.js';
import { PageHeader } from '../../ui/page.js';
import { Empty, Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { may } from '../customer-permissions.js';
import { segmentsApi, type Segment } from './segments.api.js';

export function SegmentsPage() {
  const user = useSignedInUser();
  const segments = useApiData<{ segments: Segment[] }>(segmentsApi.listPath);
  return (
    <>
      <PageHeader
        title="Segments"
        description="Saved filters over customers. Batch runs and announcements go to a segment as it stands when they start."
        actions={
          may(user, 'segments.manage') && (
            <Link className="button button-primary" to="/customers/segments/new">
              New segment
            </Link>
          )
        }
      />
      <Loaded what="segments" data={segments.data} error={segments.error} onRetry={segments.reload}>
        {({ segments: list }) =>
          list.length === 0 ? (
            <Empty title="No segments yet">
              Build one from lifecycle stages, tags, consent and custom attributes, with a live count as you go.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Description</th>
                    <th>Created by</th>
                    <th>Changed</th>
                    <th>
                      <span className="visually-hidden">Customers</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((segment) => (
                    <tr key={segment.id}>
                      <td className="strong">
                        <Link to={`/customers/segments/${segment.id}`}>{segment.name}</Link>
                      </td>
                      <td>{segment.description || <span className="muted">—</span>}</td>
                      <td className="nowrap">{segment.createdBy}</td>
                      <td className="nowrap">{formatDateTime(segment.updatedAt)}</td>
                      <td className="actions-cell">
                        <Link to={`/customers?segment=${segment.id}`}>Show customers</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
