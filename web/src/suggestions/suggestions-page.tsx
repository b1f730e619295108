import { useState } from 'react';
import { Link } from 'react-router-dom';
import { choicesIn } from '../ui/choices.js';
import { FilterBar, UrlSelectFilter, useUrlFilters } from '../ui/filters.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader, PrimaryAction } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { Segmented } from '../ui/segmented.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { NewSuggestionDialog } from './new-suggestion-dialog.js';
import { SuggestionLink, SuggestionStatusBadge, VoteButton } from './suggestion-parts.js';
import { statusLabels, suggestionsApi, type Suggestion } from './suggestions.api.js';

const sorts = [
  { value: 'votes', label: 'Most votes' },
  { value: 'newest', label: 'Newest' },
] as const;

/** Every suggestion, most votes or newest first, by status; anyone proposes one from here. */
export function SuggestionsPage() {
  const filters = useUrlFilters();
  const sort = filters.get('sort') === 'newest' ? 'newest' : 'votes';
  const status = filters.get('status') || undefined;
  const list = useCursorPages<'suggestions', Suggestion>(suggestionsApi.listPath({ sort, status }), 'suggestions');
  const [proposing, setProposing] = useState(false);
  return (
    <>
      <PageHeader
        title="Suggestions"
        description="Proposals to change how work is done: vote for the ones you want, and see what became of them."
        actions={
          <PrimaryAction permission="suggestions.propose" onClick={() => setProposing(true)} label="New suggestion" />
        }
      />
      <FilterBar label="Suggestions">
        <UrlSelectFilter name="status" label="Status" any="Any status" choices={choicesIn(statusLabels)} />
        <Segmented
          label="Order"
          choices={sorts}
          value={sort}
          onChange={(value) => filters.set('sort', value === 'votes' ? undefined : value)}
        />
      </FilterBar>
      <PagedList
        list={list}
        what="suggestions"
        noun={['suggestion', 'suggestions']}
        more="block"
        empty={{ title: 'No suggestions', hint: 'Propose a change to how work is done.' }}
      >
        {(items) => (
          <ul className="suggestion-list" aria-label="Suggestions">
            {items.map((suggestion) => (
              <li key={suggestion.id} className="card suggestion-item">
                <VoteButton suggestion={suggestion} />
                <div className="suggestion-item-text">
                  <h2 className="suggestion-item-title">
                    <Link to={`/suggestions/${suggestion.id}`}>{suggestion.title}</Link>
                  </h2>
                  <div className="suggestion-meta">
                    <SuggestionStatusBadge status={suggestion.status} />
                    <SuggestionLink link={suggestion.link} />
                    <span className="muted small">
                      {suggestion.authorName} · {formatDateTime(suggestion.createdAt)}
                    </span>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
      {proposing && <NewSuggestionDialog onClose={() => setProposing(false)} />}
    </>
  );
}
