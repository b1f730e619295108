import { Link, useSearchParams } from 'react-router-dom';
import { templatesApi, type TemplateListItem } from '../../templates/templates.api.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedList } from '../../ui/paged-list.js';
import { useApiList } from '../../ui/use-api-data.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { communicationsApi, type Communication } from '../communications.api.js';
import { batchRunsApi, type BatchRunListItem } from '../runs/batch-runs.api.js';
import { CommunicationFilters, filtersFrom } from './communication-filters.js';
import { CommunicationTable } from './communication-table.js';

/** Every communication, newest first, filtered by what the address says. */
export function CommunicationsPage() {
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const list = useCursorPages<'communications', Communication>(communicationsApi.listPath(filters), 'communications');
  const templates = useApiList<'templates', TemplateListItem>(templatesApi.listPath({}), 'templates');
  const runs = useApiList<'runs', BatchRunListItem>(batchRunsApi.listPath, 'runs');
  const filtered = Object.values(filters).some(Boolean);
  const hidden = filters.customerId || filters.transport || filters.templateVersionId;

  return (
    <>
      <PageHeader
        title="Communications"
        description="Every letter, email, text, fax and portal message, with the channel it took, why, and the exact copy that was sent."
        actions={<PrimaryAction to="/communications/runs/new" permission="runs.manage" label="New batch run" />}
      />
      <CommunicationFilters templates={templates.items ?? []} runs={runs.items ?? []} />
      {hidden && (
        <p className="notice comm-notice-info comm-scope">
          <span>
            {filters.customerId && 'Only one customer’s communications are shown. '}
            {filters.templateVersionId && 'Only the communications of one template version are shown. '}
            {filters.transport && `Only those handed to the ${filters.transport} transport are shown.`}
          </span>
          <Link to="/communications" className="button button-small">
            Show all
          </Link>
        </p>
      )}
      <PagedList
        list={list}
        what="communications"
        noun={['communication', 'communications']}
        toolbar={
          <button type="button" className="button button-small" onClick={list.reload}>
            Refresh
          </button>
        }
        empty={
          filtered
            ? { title: 'No communication matches', hint: 'Clear a filter to see more.' }
            : {
                title: 'Nothing sent yet',
                hint: 'Communications appear here as soon as a batch run or an API call sends one.',
              }
        }
      >
        {(items) => <CommunicationTable communications={items} />}
      </PagedList>
    </>
  );
}
