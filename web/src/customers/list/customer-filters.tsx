import type { SetURLSearchParams } from 'react-router-dom';
import type { CustomerListFilters } from '../customers.api.js';
import {
  customerKinds,
  isCustomerKind,
  isLifecycleStage,
  kindLabels,
  lifecycleLabels,
  lifecycleStages,
} from '../customer-vocabulary.js';

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
    lifecycle: isLifecycleStage(lifecycle) ? lifecycle : undefined,
    kind: isCustomerKind(kind) ? kind : undefined,
    tag: params.get('tag')?.trim() || undefined,
    segment: params.get('segment') || undefined,
    archived: isArchivedChoice(archived) ? archived : 'false',
    sort: sortBy,
    order,
  };
}

type Props = {
  params: URLSearchParams;
  setParams: SetURLSearchParams;
  segments: { id: string; name: string }[];
};

const setParam = (setParams: SetURLSearchParams, name: string, value: string) =>
  setParams(
    (current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    },
    { replace: true },
  );

/** Every change lands in the address at once; the list page waits for typing to pause before it asks. */
export function CustomerFilters({ params, setParams, segments }: Props) {
  const set = (name: string, value: string) => setParam(setParams, name, value);

  return (
    <div className="filters customer-filters" role="search" aria-label="Filter customers">
      <label className="filter filter-wide">
        Search
        <input
          type="search"
          placeholder="Name, email or phone"
          value={params.get('q') ?? ''}
          onChange={(event) => set('q', event.target.value)}
        />
      </label>
      <label className="filter">
        Lifecycle
        <select value={params.get('lifecycle') ?? ''} onChange={(event) => set('lifecycle', event.target.value)}>
          <option value="">All stages</option>
          {lifecycleStages.map((stage) => (
            <option key={stage} value={stage}>
              {lifecycleLabels[stage]}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Kind
        <select value={params.get('kind') ?? ''} onChange={(event) => set('kind', event.target.value)}>
          <option value="">All kinds</option>
          {customerKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabels[kind]}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Tag
        <input
          placeholder="e.g. vip"
          value={params.get('tag') ?? ''}
          onChange={(event) => set('tag', event.target.value)}
        />
      </label>
      <label className="filter">
        Segment
        <select value={params.get('segment') ?? ''} onChange={(event) => set('segment', event.target.value)}>
          <option value="">Any segment</option>
          {segments.map((segment) => (
            <option key={segment.id} value={segment.id}>
              {segment.name}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Show
        <select
          value={params.get('archived') ?? 'false'}
          onChange={(event) => set('archived', event.target.value === 'false' ? '' : event.target.value)}
        >
          {Object.entries(archivedChoices).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Search results come best match first; otherwise the list is in the chosen order. */
export function CustomerSort({ params, setParams }: Omit<Props, 'segments'>) {
  const searching = Boolean(params.get('q')?.trim());
  const set = (name: string, value: string) => setParam(setParams, name, value);
  return (
    <label className="inline-filter">
      Sort
      <select
        value={searching ? 'relevance' : (params.get('sort') ?? 'name-asc')}
        disabled={searching}
        title={searching ? 'Search results come best match first' : undefined}
        onChange={(event) => set('sort', event.target.value === 'name-asc' ? '' : event.target.value)}
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
