import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { SelectResult } from 'drizzle-orm/query-builders/select.types';
import type { Executor } from '../db/database.js';
import { keyset } from '../shared/cursor.js';
import { HIGHLIGHT_START, HIGHLIGHT_STOP, snippetHtml } from './article-text.js';
import { knowledgeArticles, knowledgeCategories } from './knowledge.tables.js';

const headlineOptions = [
  `StartSel=${HIGHLIGHT_START}`,
  `StopSel=${HIGHLIGHT_STOP}`,
  // Up to two passages around the matches, each with some words either side.
  'MaxFragments=2',
  'MinWords=8',
  'MaxWords=20',
  // Keep short words at a passage's edges ("A platypus lays eggs", not "platypus lays eggs").
  'ShortWord=0',
  'FragmentDelimiter=" … "',
].join(', ');

/**
 * Full-text search over articles, the same for staff and the help centre: the words as people
 * type them into a search box (websearch_to_tsquery: "quoted phrases", or, -not), matched against
 * the stored vector (GIN index), ranked by ts_rank with the title weighing most, with a snippet of
 * the body around the matches. The configuration is the one `knowledge_search_vector` indexes
 * under (migration 0017): 'english', which PGlite and PostgreSQL both ship.
 */
export function articleSearch(words: string) {
  const query = sql`websearch_to_tsquery('pg_catalog.english', ${words})`;
  const rank = sql`ts_rank(${knowledgeArticles.search}, ${query})`;
  // In millionths, so the rank is an exact key for the keyset cursor; equal ranks go by id.
  const rankKey = sql`round(${rank} * 1000000)::bigint`;
  return {
    matches: sql`${knowledgeArticles.search} @@ ${query}`,
    rank: sql<number>`${rank}`.mapWith(Number),
    /** Escape with `snippetHtml` before it leaves the server: it is the article's raw text. */
    headline: sql<string>`ts_headline('pg_catalog.english', ${knowledgeArticles.bodyText}, ${query}, ${headlineOptions})`,
    order: keyset(
      [
        { expression: rankKey, type: 'bigint' },
        { expression: knowledgeArticles.id, type: 'uuid' },
      ],
      'desc',
    ),
  };
}

export type ArticleSearch = ReturnType<typeof articleSearch>;

/** A row of the fields picked, as drizzle types them with the category joined (so its columns may be null). */
type Found<Fields extends SelectedFields> = SelectResult<
  Fields,
  'partial',
  { knowledge_articles: 'not-null'; knowledge_categories: 'nullable' }
> & { headline: string; position: string[] };

/**
 * One page of articles matching `query.q` within `scope` (staff filters, or what the help centre
 * shows), best match first, each with the fields the caller picks (its category's name joined) and
 * a snippet of the body around the matches, escaped and highlighted.
 */
export async function searchArticles<Fields extends SelectedFields>(
  executor: Executor,
  query: { q: string; cursor?: string; limit: number },
  fields: (search: ArticleSearch) => Fields,
  scope: (SQL | undefined)[],
) {
  const search = articleSearch(query.q);
  // Typed here, where the fields are known only as a type parameter, as drizzle types them for the caller.
  const rows = (await executor
    .select({ ...fields(search), headline: search.headline, position: search.order.position })
    .from(knowledgeArticles)
    .leftJoin(knowledgeCategories, eq(knowledgeCategories.id, knowledgeArticles.categoryId))
    .where(and(search.matches, ...scope, search.order.after(query.cursor)))
    .orderBy(...search.order.orderBy)
    .limit(query.limit + 1)) as Found<Fields>[];
  const page = search.order.page(rows, query.limit);
  return {
    articles: page.rows.map(({ headline, ...row }) => ({ ...row, snippet: snippetHtml(headline) })),
    nextCursor: page.nextCursor,
  };
}
