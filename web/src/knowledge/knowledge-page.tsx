import { Link, useSearchParams } from 'react-router-dom';
import { choicesIn, namedChoices } from '../ui/choices.js';
import { DataTable, orDash } from '../ui/data-table.js';
import { FilterBar, UrlSelectFilter, UrlTextFilter } from '../ui/filters.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader, PrimaryAction } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { useApiList } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { useDebouncedValue } from '../ui/use-debounced-value.js';
import { isKeyOf } from '../ui/vocabulary.js';
import { ArticleStatusBadge } from './article-status-badge.js';
import {
  knowledgeApi,
  type ArticleFilters,
  type ArticleSummary,
  type Category,
  type SearchHit,
} from './knowledge.api.js';
import { articleStatusLabels, visibilityLabels } from './knowledge-vocabulary.js';
import { SearchSnippet } from './search-snippet.js';

function filtersFrom(params: URLSearchParams): ArticleFilters {
  const visibility = params.get('visibility');
  const status = params.get('status');
  return {
    categoryId: params.get('categoryId') || undefined,
    visibility: isKeyOf(visibilityLabels, visibility) ? visibility : undefined,
    status: isKeyOf(articleStatusLabels, status) ? status : undefined,
  };
}

const articleNote = (article: ArticleSummary) =>
  [
    article.categoryName ?? 'No category',
    visibilityLabels[article.visibility],
    `version ${article.currentVersion}`,
  ].join(' · ');

function SearchResults({ q, filters }: { q: string; filters: ArticleFilters }) {
  const results = useCursorPages<'articles', SearchHit>(knowledgeApi.searchPath(q, filters), 'articles');
  return (
    <PagedList
      list={results}
      what="matching articles"
      noun={['article', 'articles']}
      more="block"
      empty={{ title: `No article matches “${q}”`, hint: 'Try other words, or "a phrase" in quotes.' }}
    >
      {(items) => (
        <ol className="kb-results" aria-label="Search results">
          {items.map((hit) => (
            <li key={hit.id} className="card kb-result">
              <div className="kb-result-head">
                <Link to={`/knowledge/${hit.id}`} className="strong">
                  {hit.title}
                </Link>
                <ArticleStatusBadge status={hit.status} />
              </div>
              <SearchSnippet html={hit.snippet} />
              <div className="muted small">{articleNote(hit)}</div>
            </li>
          ))}
        </ol>
      )}
    </PagedList>
  );
}

function ArticleList({ filters }: { filters: ArticleFilters }) {
  const list = useCursorPages<'articles', ArticleSummary>(knowledgeApi.listPath(filters), 'articles');
  return (
    <PagedList
      list={list}
      what="articles"
      noun={['article', 'articles']}
      empty={{ title: 'No articles yet', hint: 'Write the first one: the answers agents give again and again.' }}
    >
      {(items) => (
        <DataTable
          label="Articles"
          rows={items}
          rowKey={(article) => article.id}
          columns={(column) => [
            column.link('Article', (article) => ({
              to: `/knowledge/${article.id}`,
              label: article.title,
              note: articleNote(article),
            })),
            { header: 'Status', cell: (article) => <ArticleStatusBadge status={article.status} /> },
            { header: 'Tags', cell: (article) => orDash(article.tags.join(', ')) },
            { header: 'Published', className: 'nowrap', cell: (article) => formatDateTime(article.publishedAt) },
            column.date('Updated', (article) => article.updatedAt),
          ]}
        />
      )}
    </PagedList>
  );
}

/** The knowledge base: articles by most recent change, or search results with the matched words marked. */
export function KnowledgePage() {
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const q = useDebouncedValue((params.get('q') ?? '').trim(), 250);
  const categories = useApiList<'categories', Category>(knowledgeApi.categoriesPath, 'categories');

  return (
    <>
      <PageHeader
        title="Knowledge base"
        description="Answers in Markdown, versioned. Internal articles are for staff; public ones appear in the help centre once published."
        actions={<PrimaryAction permission="knowledge.write" to="/knowledge/new" label="New article" />}
      />
      <FilterBar label="Search articles">
        <UrlTextFilter name="q" label="Search" placeholder='Words, "a phrase", -without' wide />
        <UrlSelectFilter
          name="categoryId"
          label="Category"
          any="Any category"
          choices={namedChoices(categories.items ?? [])}
        />
        <UrlSelectFilter
          name="visibility"
          label="Visibility"
          any="Any visibility"
          choices={choicesIn(visibilityLabels)}
        />
        <UrlSelectFilter name="status" label="Status" any="Not archived" choices={choicesIn(articleStatusLabels)} />
      </FilterBar>
      {q ? <SearchResults q={q} filters={filters} /> : <ArticleList filters={filters} />}
    </>
  );
}
