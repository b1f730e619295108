import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { portalHtml } from '../templates/preview/portal-html.js';
import { SearchSnippet } from '../knowledge/search-snippet.js';
import { RunButton, useSubmission } from '../ui/form.js';
import { PagedList } from '../ui/paged-list.js';
import { Loaded, messageOf, Notice } from '../ui/states.js';
import { useApiData, useApiList } from '../ui/use-api-data.js';
import { useCursorPages } from '../ui/use-cursor-pages.js';
import { useDebouncedValue } from '../ui/use-debounced-value.js';
import { PortalHeader } from './portal-layout.js';
import {
  helpApi,
  type HelpArticle,
  type HelpArticleSummary,
  type HelpCategory,
  type HelpSearchHit,
} from './portal.api.js';

const articleLink = (slug: string) => `/portal/help/articles/${encodeURIComponent(slug)}`;

function ArticleList({ articles }: { articles: (HelpArticleSummary | HelpSearchHit)[] }) {
  return (
    <ul className="portal-list" aria-label="Articles">
      {articles.map((article) => (
        <li key={article.slug}>
          <Link to={articleLink(article.slug)} className="portal-list-item">
            <span className="portal-list-title">{article.title}</span>
            {'snippet' in article && <SearchSnippet html={article.snippet} />}
            {article.categoryName && <span className="portal-list-meta">{article.categoryName}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The help centre's front page: search, the categories, and the articles of the chosen one. */
export function HelpPage() {
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const categoryId = params.get('category');
  const words = useDebouncedValue(q.trim(), 300);
  const searching = words.length >= 2;
  const categories = useApiList<'categories', HelpCategory>(helpApi.categoriesPath, 'categories');
  const found = useCursorPages<'articles', HelpSearchHit>(searching ? helpApi.searchPath(words) : null, 'articles');
  const listed = useCursorPages<'articles', HelpArticleSummary>(
    searching ? null : helpApi.articlesPath(categoryId),
    'articles',
  );
  const chosen = categories.items?.find((category) => category.id === categoryId);
  const choose = (id: string | null) => setParams(id ? { category: id } : {});
  return (
    <>
      <PortalHeader title="Help centre">
        <p>Answers to common questions, without signing in.</p>
      </PortalHeader>
      <form role="search" className="portal-search" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="help-search">Search the help centre</label>
        <input
          id="help-search"
          type="search"
          value={q}
          placeholder="For example: tariff letter"
          onChange={(event) => setQ(event.target.value)}
        />
      </form>
      {!searching && categories.items && categories.items.length > 0 && (
        <div className="portal-categories" role="group" aria-label="Categories">
          <button type="button" className="portal-chip" aria-pressed={!categoryId} onClick={() => choose(null)}>
            All
          </button>
          {categories.items.map((category) => (
            <button
              key={category.id}
              type="button"
              className="portal-chip"
              aria-pressed={category.id === categoryId}
              onClick={() => choose(category.id)}
            >
              {category.name} <span className="muted">({category.articleCount})</span>
            </button>
          ))}
        </div>
      )}
      <h2 className="portal-section-title">
        {searching ? `Articles about “${words}”` : chosen ? chosen.name : 'All articles'}
      </h2>
      <PagedList
        list={searching ? found : listed}
        what="articles"
        more="block"
        empty={{
          title: searching ? 'No article matches' : 'No articles yet',
          hint: <Link to="/portal/requests/new">Ask us instead</Link>,
        }}
      >
        {(articles) => <ArticleList articles={articles} />}
      </PagedList>
    </>
  );
}

/** "Did this answer your question?": one answer per article and visit. */
function Feedback({ slug }: { slug: string }) {
  const [answered, setAnswered] = useState<boolean | null>(null);
  const send = useSubmission(async (helpful: boolean) => {
    await helpApi.feedback(slug, helpful);
    setAnswered(helpful);
  });
  if (answered !== null)
    return <Notice tone="success">{answered ? 'Thank you, glad it helped.' : 'Thank you, we will improve it.'}</Notice>;
  return (
    <div className="portal-feedback" role="group" aria-labelledby="feedback-question">
      <span id="feedback-question" className="strong">
        Did this answer your question?
      </span>
      <RunButton submission={send} args={[true]} label="Yes" />
      <RunButton submission={send} args={[false]} label="No" />
      {send.error !== undefined && <span className="field-error">{messageOf(send.error)}</span>}
    </div>
  );
}

export function HelpArticlePage() {
  const { slug = '' } = useParams();
  const article = useApiData<HelpArticle>(helpApi.articlePath(slug));
  const shown = article.data?.slug === slug ? article.data : undefined;
  return (
    <Loaded what="the article" data={shown} error={article.error} onRetry={article.reload}>
      {(current) => (
        <article className="portal-article">
          <p className="muted small">
            <Link to="/portal/help">Help centre</Link>
            {current.categoryName && current.categoryId && (
              <>
                {' › '}
                <Link to={`/portal/help?category=${current.categoryId}`}>{current.categoryName}</Link>
              </>
            )}
          </p>
          <PortalHeader title={current.title} />
          {/* Sanitized by the server, and held to the same portal policy here: text structure and links only. */}
          <div className="portal-article-body" dangerouslySetInnerHTML={{ __html: portalHtml(current.html) }} />
          <Feedback slug={current.slug} />
          <section className="card portal-card" aria-labelledby="still-need-help">
            <h2 id="still-need-help">Still need help?</h2>
            <p>Tell us what is left open and we answer you personally.</p>
            <Link
              className="button button-primary"
              to={`/portal/requests/new?articleSlug=${encodeURIComponent(current.slug)}`}
            >
              Open a request
            </Link>
          </section>
        </article>
      )}
    </Loaded>
  );
}
