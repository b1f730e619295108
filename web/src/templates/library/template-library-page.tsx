import { Link } from 'react-router-dom';
import { choicesIn } from '../../ui/choices.js';
import { FilterBar, UrlSelectFilter, UrlTextFilter, useUrlFilters } from '../../ui/filters.js';
import { PageHeader, PrimaryAction } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiList } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { publishedOf, VersionMark } from '../status-badge.js';
import { purposeLabels, statusLabels } from '../template-vocabulary.js';
import { templatesApi, type TemplateListItem } from '../templates.api.js';

/** The template library: every template with where its latest version stands and what is live. */
export function TemplateLibraryPage() {
  const filters = useUrlFilters();
  const purpose = filters.get('purpose');
  const status = filters.get('status');
  const q = useDebouncedValue(filters.get('q').trim());
  const templates = useApiList<'templates', TemplateListItem>(
    templatesApi.listPath({ purpose, status, q }),
    'templates',
  );
  const filtered = purpose !== '' || status !== '' || q !== '';

  return (
    <>
      <PageHeader
        title="Templates"
        description="Correspondence built from approved fragments, reviewed by a second person before it reaches customers."
        actions={<PrimaryAction to="/templates/new" permission="templates.author" label="New template" />}
      />
      <FilterBar label="Filter templates">
        <UrlTextFilter name="q" label="Search" placeholder="Name or key" wide />
        <UrlSelectFilter name="purpose" label="Purpose" any="All purposes" choices={choicesIn(purposeLabels)} />
        <UrlSelectFilter name="status" label="Status" any="Any status" choices={choicesIn(statusLabels)} />
      </FilterBar>
      <PagedTable
        list={templates}
        what="templates"
        empty={
          filtered
            ? { title: 'No template matches these filters', hint: 'Change the search or the filters to see more.' }
            : {
                title: 'No templates yet',
                hint: 'Start one with “New template”; it begins as a draft only you and reviewers see.',
              }
        }
        label="Templates"
        rowKey={(template) => template.id}
        columns={(column) => [
          column.link('Name', (template) => ({
            to: `/templates/${template.key}`,
            label: template.name,
            note: template.description,
          })),
          column.code('Key', (template) => template.key),
          { header: 'Purpose', cell: (template) => purposeLabels[template.purpose] },
          {
            header: 'Latest version',
            cell: (template) =>
              template.latest ? (
                <Link to={`/templates/${template.key}/versions/${template.latest.number}`} className="plain-link">
                  <VersionMark version={template.latest} />
                </Link>
              ) : (
                <VersionMark version={null} />
              ),
          },
          { header: 'Published', cell: (template) => publishedOf(template.published) },
          { ...column.date('Updated', (template) => template.updatedAt), className: 'nowrap muted' },
        ]}
      />
    </>
  );
}
