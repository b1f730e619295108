import { sql } from 'drizzle-orm';
import { keyset } from '../shared/cursor.js';
import { HIGHLIGHT_START, HIGHLIGHT_STOP } from './article-text.js';
import { knowledgeArticles } from './knowledge.tables.js';

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
