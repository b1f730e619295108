import { choicesIn, namedChoices } from '../../ui/choices.js';
import { FilterBar, SelectFilter, UrlSelectFilter, UrlTextFilter, useUrlFilters } from '../../ui/filters.js';
import type { CustomerListFilters } from '../customers.api.js';
import { isKeyOf } from '../../ui/vocabulary.js';
import { kindLabels, lifecycleLabels } from '../customer-vocabulary.js';

export const sortChoices = {
  'name-asc': 'Name, A to Z',
  'name-desc': 'Name, Z to A',
  'updated-desc': 'Recently updated',
  'created-desc': 'Newest first',
  'created-asc': 'Oldest first',
} as const;

type SortChoice = keyof typeof sortChoices;
const isSortChoice = (value: string | null): value is SortChoice => value !== null && value in sortChoices;
const archivedChoices = { false: 'Current', true: 'Archived', all: 'Current and archived' } as const;
const isArchivedChoice = (value: string | null): value is keyof typeof archivedChoices =>
  value !== null && value in archivedChoices;

/** The list's filters as they stand in the address, so a filtered list can be bookmarked and shared. */
export function filtersFrom(params: URLSearchParams): CustomerListFilters {
  const lifecycle = params.get('lifecycle');
  const kind = params.get('kind');
  const archived = params.get('archived');
  const sort = params.get('sort');
  const [sortBy, order] = (isSortChoice(sort) ? sort : 'name-asc').split('-') as [
    CustomerListFilters['sort'],
    CustomerListFilters['order'],
  ];
  return {
    q: params.get('q')?.trim() || undefined,
    lifecycle: isKeyOf(lifecycleLabels, lifecycle) ? lifecycle : undefined,
    kind: isKeyOf(kindLabels, kind) ? kind : undefined,
    tag: params.get('tag')?.trim() || undefined,
    segment: params.get('segment') || undefined,
    archived: isArchivedChoice(archived) ? archived : 'false',
    sort: sortBy,
    order,
  };
}

/** Every change lands in the address at once; the list page waits for typing to pause before it asks. */
export function CustomerFilters({ segments }: { segments: { id: string; name: string }[] }) {
  const filters = useUrlFilters();
  return (
    <FilterBar label="Filter customers" className="customer-filters">
      <UrlTextFilter name="q" label="Search" placeholder="Name, email or phone" wide />
      <UrlSelectFilter name="lifecycle" label="Lifecycle" any="All stages" choices={choicesIn(lifecycleLabels)} />
      <UrlSelectFilter name="kind" label="Kind" any="All kinds" choices={choicesIn(kindLabels)} />
      <UrlTextFilter name="tag" label="Tag" placeholder="e.g. vip" search={false} />
      <UrlSelectFilter name="segment" label="Segment" any="Any segment" choices={namedChoices(segments)} />
      <SelectFilter
        label="Show"
        choices={choicesIn(archivedChoices)}
        value={filters.get('archived') || 'false'}
        onChange={(value) => filters.set('archived', value === 'false' ? '' : value)}
      />
    </FilterBar>
  );
}

/** Search results come best match first; otherwise the list is in the chosen order. */
export function CustomerSort() {
  const filters = useUrlFilters();
  const searching = Boolean(filters.get('q').trim());
  return (
    <label className="inline-filter">
      Sort
      <select
        value={searching ? 'relevance' : filters.get('sort') || 'name-asc'}
        disabled={searching}
        title={searching ? 'Search results come best match first' : undefined}
        onChange={(event) => filters.set('sort', event.target.value === 'name-asc' ? '' : event.target.value)}
      >
        {searching && <option value="relevance">Best match first</option>}
        {Object.entries(sortChoices).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
