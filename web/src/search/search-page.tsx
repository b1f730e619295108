import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { SearchSnippet } from '../knowledge/search-snippet.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { Empty, ErrorNotice, Loading } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import {
  facetParameters,
  hitPath,
  searchApi,
  SEARCH_PAGE_SIZE,
  type FacetName,
  type Facets,
  type SearchAnswer,
  type SearchHit,
  type SearchQuery,
} from './search.api.js';
import './search.css';

const facetTitles: Record<FacetName, string> = {
  kind: 'Kind',
  folder: 'Folder',
  mediaType: 'File type',
  tag: 'Tag',
  customer: 'Customer',
  month: 'Month',
};

const kindLabels: Record<string, string> = { document: 'Documents', communication: 'Communications' };

/** The values chosen for one filter parameter, from the address (comma-separated). */
const chosen = (params: URLSearchParams, name: string) => (params.get(name) ?? '').split(',').filter(Boolean);

/** Where the search page lives, in the Documents area. */
export const SEARCH_PATH = '/documents/search';

/** The box that starts a search: it opens the search page with the words in its address. */
export function SearchBox({
  initial = '',
  label = 'Search documents and communications',
}: {
  initial?: string;
  label?: string;
}) {
  const navigate = useNavigate();
  const [words, setWords] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (words.trim()) navigate(`${SEARCH_PATH}?${new URLSearchParams({ q: words.trim() }).toString()}`);
  };
  return (
    <form className="search-box" role="search" aria-label={label} onSubmit={submit}>
      <input
        type="search"
        name="q"
        aria-label="Search words"
        placeholder="Words in titles, tags, metadata and text"
        value={words}
        onChange={(event) => setWords(event.target.value)}
      />
      <button type="submit" className="button button-primary">
        Search
      </button>
    </form>
  );
}

function FacetGroup({ name, values, params }: { name: FacetName; values: Facets[FacetName]; params: URLSearchParams }) {
  const [, setParams] = useSearchParams();
  const parameter = facetParameters[name];
  if (values.length === 0) return null;
  const selected = parameter ? chosen(params, parameter) : [];
  const toggle = (value: string) => {
    if (!parameter) return;
    const next = new URLSearchParams(params);
    const values = selected.includes(value) ? selected.filter((item) => item !== value) : [...selected, value];
    if (values.length) next.set(parameter, values.join(','));
    else next.delete(parameter);
    next.delete('offset');
    setParams(next);
  };
  return (
    <fieldset className="search-facet">
      <legend>{facetTitles[name]}</legend>
      {values.map((value) => {
        const label = name === 'kind' ? (kindLabels[value.label] ?? value.label) : value.label;
        return parameter ? (
          <label key={value.value} className="search-facet-value">
            <input type="checkbox" checked={selected.includes(value.value)} onChange={() => toggle(value.value)} />
            <span>{label}</span>
            <span className="search-count" aria-label={`${value.count} results`}>
              {value.count}
            </span>
          </label>
        ) : (
          <div key={value.value} className="search-facet-value">
            <span>{label}</span>
            <span className="search-count">{value.count}</span>
          </div>
        );
      })}
    </fieldset>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  const where = hit.kind === 'document' ? hit.folderName : hit.channel;
  return (
    <li className="search-hit">
      <div className="search-hit-title">
        <Link to={hitPath(hit)}>{hit.title}</Link>
        <span className="muted">
          {hit.kind === 'document' ? 'Document' : 'Communication'}
          {where && ` · ${where}`} · {formatDateTime(hit.at)}
        </span>
      </div>
      {hit.snippet && <SearchSnippet html={hit.snippet} />}
      {hit.tags.length > 0 && <div className="muted cell-note">Tags: {hit.tags.join(', ')}</div>}
    </li>
  );
}

/** "1 result", "234 results", or "At least 1,000 results" when the search stopped reading matches. */
function resultCount(answer: SearchAnswer) {
  if (answer.totalIsAtLeast) return `At least ${answer.total.toLocaleString()} results`;
  return answer.total === 1 ? '1 result' : `${answer.total.toLocaleString()} results`;
}

function Results({ answer, params }: { answer: SearchAnswer; params: URLSearchParams }) {
  const [, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? 0);
  const goTo = (next: number) => {
    const moved = new URLSearchParams(params);
    if (next > 0) moved.set('offset', String(next));
    else moved.delete('offset');
    setParams(moved);
  };
  if (answer.total === 0)
    return <Empty title="Nothing found">Try other words, fewer filters, or "a phrase" in quotes.</Empty>;
  return (
    <>
      <p className="muted" aria-live="polite">
        {resultCount(answer)}
        {answer.total > SEARCH_PAGE_SIZE && `, ${offset + 1}–${offset + answer.results.length} shown`}
      </p>
      {answer.totalIsAtLeast && (
        <p className="muted">
          So many match that only the first found are ranked and counted in the filters; add words to narrow the search.
        </p>
      )}
      <ol className="search-hits">
        {answer.results.map((hit) => (
          <Hit key={`${hit.kind}:${hit.id}`} hit={hit} />
        ))}
      </ol>
      <div className="search-paging">
        {offset > 0 && (
          <button type="button" className="button" onClick={() => goTo(Math.max(0, offset - SEARCH_PAGE_SIZE))}>
            Previous
          </button>
        )}
        {answer.nextOffset !== null && (
          <button type="button" className="button" onClick={() => goTo(answer.nextOffset!)}>
            Next
          </button>
        )}
      </div>
    </>
  );
}

/** Full-text search over documents and archived communications, with snippets and facets to narrow by. */
export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const query: SearchQuery = {
    q,
    kind: params.get('kind') || undefined,
    folderId: params.get('folderId') || undefined,
    mediaType: params.get('mediaType') || undefined,
    tag: params.get('tag') || undefined,
    customerId: params.get('customerId') || undefined,
    offset: Number(params.get('offset') ?? 0) || undefined,
  };
  const answer = useApiData<SearchAnswer>(q ? searchApi.searchPath(query) : null);
  return (
    <>
      <PageHeader
        title="Search"
        description="Documents by their title, description, tags, metadata and text (read by OCR from scans), and archived communications by what was sent."
      />
      <SearchBox key={q} initial={q} />
      {!q ? (
        <Empty title="Type some words to search">Quoted words find a phrase; a minus sign leaves a word out.</Empty>
      ) : answer.error !== undefined ? (
        <ErrorNotice error={answer.error} onRetry={answer.reload} />
      ) : answer.data === undefined ? (
        <Loading what="results" />
      ) : (
        <div className="search-layout">
          <aside aria-label="Narrow the results">
            {(Object.keys(facetTitles) as FacetName[]).map((name) => (
              <FacetGroup key={name} name={name} values={answer.data!.facets[name]} params={params} />
            ))}
          </aside>
          <section aria-label="Results" aria-busy={answer.loading}>
            <Results answer={answer.data} params={params} />
          </section>
        </div>
      )}
    </>
  );
}
