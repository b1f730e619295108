import { Link } from 'react-router-dom';
import { orDash } from '../../ui/data-table.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiList } from '../../ui/use-api-data.js';
import { segmentsApi, type Segment } from './segments.api.js';

export function SegmentsPage() {
  const segments = useApiList<'segments', Segment>(segmentsApi.listPath, 'segments');
  return (
    <>
      <PageHeader
        title="Segments"
        description="Saved filters over customers. Batch runs and announcements go to a segment as it stands when they start."
        actions={<PrimaryAction to="/customers/segments/new" permission="segments.manage" label="New segment" />}
      />
      <PagedTable
        list={segments}
        what="segments"
        empty={{
          title: 'No segments yet',
          hint: 'Build one from lifecycle stages, tags, consent and custom attributes, with a live count as you go.',
        }}
        rowKey={(segment) => segment.id}
        columns={(column) => [
          {
            header: 'Name',
            className: 'strong',
            cell: (segment) => <Link to={`/customers/segments/${segment.id}`}>{segment.name}</Link>,
          },
          { header: 'Description', cell: (segment) => orDash(segment.description) },
          { header: 'Created by', className: 'nowrap', cell: (segment) => segment.createdBy },
          column.date('Changed', (segment) => segment.updatedAt),
          {
            header: 'Customers',
            hideHeader: true,
            className: 'actions-cell',
            cell: (segment) => <Link to={`/customers?segment=${segment.id}`}>Show customers</Link>,
          },
        ]}
      />
    </>
  );
}
