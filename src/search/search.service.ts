import { sql, type SQL } from 'drizzle-orm';
import { can, authorize } from '../auth/policy.js';
import { rows, uuidArray, type Database } from '../db/database.js';
import { HIGHLIGHT_START, HIGHLIGHT_STOP, snippetHtml } from '../knowledge/article-text.js';
import { readableDocuments } from '../documents/access/document-access.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import type { Actor } from '../shared/actor.js';
import type { SearchKind, SearchQuery, SearchResponse, SearchResult } from './search.schemas.js';

const headlineOptions = [
  `StartSel=${HIGHLIGHT_START}`,
  `StopSel=${HIGHLIGHT_STOP}`,
  'MaxFragments=2',
  'MinWords=8',
  'MaxWords=25',
  'ShortWord=0',
  'FragmentDelimiter=" … "',
].join(', ');

/** Snippets are cut from the start of a text: ts_headline reads all it is given, per result shown. */
const SNIPPET_SOURCE_CHARS = 20_000;
/** Values each facet lists at most, the most frequent first. */
const FACET_VALUES = 20;

/**
 * How many matches of each kind a search reads. A word in a tenth of a million rows would otherwise
 * be joined, checked for access, ranked and faceted row by row (seconds); past this, the first
 * matches the indexes hand over are, and the total says "at least".
 */
export const DEFAULT_MATCH_LIMIT = 200;

const textArray = (values: string[]) => sql`${`{${values.map((value) => JSON.stringify(value)).join(',')}}`}::text[]`;

type Row = Omit<SearchResult, 'snippet'> & { headline: string };
type Facet = { value: string; label: string; count: number };

export type SearchService = ReturnType<typeof createSearchService>;

/**
 * Full-text search over what a staff member may read: documents (title, description, tags and
 * metadata values, and the extracted text of their current version) that their folder and document
 * permissions let them read, with documents.read; archived communications (the text of their
 * archived copy) with communications.copies. Deleted and disposed documents are never found. Ranked
 * by ts_rank (titles weigh most), with highlighted snippets and facet counts, over every match or,
 * past the match limit, over the first matches of each kind (the total then says "at least").
 */
export function createSearchService({
  db,
  grants,
  matchLimit = DEFAULT_MATCH_LIMIT,
}: {
  db: Database;
  grants: GrantPresence;
  matchLimit?: number;
}) {
  /** The kinds this actor may see, of those asked for. */
  function readableKinds(actor: Actor, asked: SearchKind[] | undefined): SearchKind[] {
    const readable: SearchKind[] = [];
    if (can(actor, 'documents.read')) readable.push('document');
    if (can(actor, 'communications.copies')) readable.push('communication');
    // One who may read neither is refused, naming what reading documents needs.
    if (readable.length === 0) authorize(actor, 'documents.read');
    return readable.filter((kind) => !asked?.length || asked.includes(kind));
  }

  /**
   * The matching documents the actor may read, as rows of one shape with communications. Written so
   * rows stream out of the GIN indexes in their order (union all, not union): a LIMIT above stops
   * reading, where a de-duplicating union would first read every match.
   */
  function documentEntries(actor: Actor, query: SQL) {
    const vector = sql`document_search_vector(d.title, d.description, d.tags, d.metadata)`;
    return sql`
      select 'document' as kind, d.id, d.title::text as title, d.folder_id, f.name::text as folder_name,
             -- Looked up per match (an index probe each), never by joining every version.
             (select v.media_type from document_versions v
              where v.document_id = d.id
                and v.major = split_part(d.current_version, '.', 1)::int
                and v.minor = split_part(d.current_version, '.', 2)::int) as media_type,
             d.tags, null::text as channel,
             array(select l.target_id from document_links l
                   where l.document_id = d.id and l.target_type = 'customer') as customer_ids,
             d.updated_at as at,
             ts_rank(${vector} || coalesce(t.search, ''::tsvector), ${query}) as rank
      from (
        select d.id from documents d where ${vector} @@ ${query}
        union all
        -- The current version's text only: a word of an older version finds nothing.
        select t.document_id from document_texts t
        join documents d on d.id = t.document_id and d.current_version = t.version
        where t.search @@ ${query} and not ${vector} @@ ${query}
      ) hit
      join documents d on d.id = hit.id
      join document_folders f on f.id = d.folder_id
      left join document_texts t on t.document_id = d.id and t.version = d.current_version
      where d.status in ('active', 'record') and ${readableDocuments(actor, sql`d.id`, grants)}`;
  }

  function communicationEntries(query: SQL) {
    return sql`
      select 'communication' as kind, c.id, ct.title, null::uuid as folder_id, null::text as folder_name,
             split_part(c.archive_media_type, ';', 1) as media_type, '{}'::text[] as tags, c.channel,
             array[c.customer_id] as customer_ids, c.created_at as at, ts_rank(ct.search, ${query}) as rank
      from communication_texts ct
      join communications c on c.id = ct.communication_id
      where ct.search @@ ${query}`;
  }

  function filters(query: SearchQuery) {
    const conditions: SQL[] = [sql`true`];
    if (query.folderId?.length) conditions.push(sql`folder_id = any(${uuidArray(query.folderId)})`);
    if (query.mediaType?.length) conditions.push(sql`media_type = any(${textArray(query.mediaType)})`);
    if (query.tag?.length) conditions.push(sql`tags && ${textArray(query.tag)}`);
    if (query.customerId?.length) conditions.push(sql`customer_ids && ${uuidArray(query.customerId)}`);
    if (query.from) conditions.push(sql`at >= ${query.from}::date`);
    if (query.to) conditions.push(sql`at < ${query.to}::date + 1`);
    return sql.join(conditions, sql` and `);
  }

  /** One kind's matches past the filters, the first `matchLimit` of them as the index hands them over. */
  function kindMatches(name: string, entries: SQL, query: SearchQuery) {
    const found = sql.identifier(`${name}_found`);
    return {
      cte: sql`${found} as materialized (select * from (${entries}) entry where ${filters(query)} limit ${matchLimit})`,
      found,
      count: sql`(select count(*)::int from ${found})`,
    };
  }

  return {
    async search(actor: Actor, query: SearchQuery): Promise<SearchResponse> {
      const kinds = readableKinds(actor, query.kind);
      // Written out (not a CTE) wherever it is used, so the planner folds it to a constant and uses the GIN indexes.
      const tsquery = sql`websearch_to_tsquery('pg_catalog.english', ${query.q})`;
      const empty = { kind: [], folder: [], mediaType: [], tag: [], customer: [], month: [] };
      if (kinds.length === 0) return { total: 0, totalIsAtLeast: false, results: [], nextOffset: null, facets: empty };
      const parts = kinds.map((kind) =>
        kind === 'document'
          ? kindMatches('document', documentEntries(actor, tsquery), query)
          : kindMatches('communication', communicationEntries(tsquery), query),
      );
      const facet = (value: SQL, label: SQL, from: SQL = sql`found`) => sql`(
        select coalesce(json_agg(json_build_object('value', value, 'label', label, 'count', count)
                                 order by count desc, label), '[]')
        from (select ${value} as value, ${label} as label, count(*)::int as count
              from ${from} group by 1, 2 order by 3 desc, 2 limit ${FACET_VALUES}) facet)`;
      // The text a snippet is cut from, read for the shown page only.
      const body = sql`case page.kind
        when 'document' then (select coalesce(nullif(t.text, ''), d.description) from documents d
          left join document_texts t on t.document_id = d.id and t.version = d.current_version where d.id = page.id)
        else (select ct.text from communication_texts ct where ct.communication_id = page.id) end`;
      const [answer] = await db.transaction(async (tx) => {
        // The plan's estimate is large though a search reads at most its limit: compiling it (JIT) and
        // starting parallel workers cost more than the search itself.
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        return rows<{ counts: number[]; page: Row[]; facets: SearchResponse['facets'] }>(
          tx,
          sql`
        with ${sql.join(
          parts.map((part) => part.cte),
          sql`, `,
        )},
        found as (${sql.join(
          parts.map((part) => sql`select * from ${part.found}`),
          sql` union all `,
        )}),
        page as (
          select * from found order by rank desc, at desc, id limit ${query.limit} offset ${query.offset}
        )
        select
          array[${sql.join(
            parts.map((part) => part.count),
            sql`, `,
          )}] as counts,
          (select coalesce(json_agg(json_build_object(
              'kind', kind, 'id', id, 'title', title, 'rank', rank, 'folderId', folder_id,
              'folderName', folder_name, 'mediaType', media_type, 'tags', tags, 'customerIds', customer_ids,
              'channel', channel, 'at', at,
              'headline', ts_headline('pg_catalog.english', left(${body}, ${SNIPPET_SOURCE_CHARS}), ${tsquery},
                                      ${headlineOptions}))
            order by rank desc, at desc, id), '[]')
           from page) as page,
          json_build_object(
            'kind', ${facet(sql`kind`, sql`kind`)},
            'folder', ${facet(sql`folder_id::text`, sql`folder_name`, sql`found where folder_id is not null`)},
            'mediaType', ${facet(sql`media_type`, sql`media_type`, sql`found where media_type is not null`)},
            'tag', ${facet(sql`tag`, sql`tag`, sql`found cross join unnest(tags) tag`)},
            'customer', ${facet(
              sql`customer.id::text`,
              sql`customer.name::text`,
              sql`found cross join unnest(customer_ids) customer_id join customers customer on customer.id = customer_id`,
            )},
            'month', ${facet(sql`to_char(at at time zone 'UTC', 'YYYY-MM')`, sql`to_char(at at time zone 'UTC', 'YYYY-MM')`)}
          ) as facets`,
        );
      });
      const { counts, page, facets } = answer!;
      const total = counts.reduce((sum, count) => sum + count, 0);
      return {
        total,
        totalIsAtLeast: counts.some((count) => count >= matchLimit),
        results: page.map(({ headline, ...row }) => ({
          ...row,
          at: new Date(row.at).toISOString(),
          snippet: snippetHtml(headline),
        })),
        nextOffset: query.offset + page.length < total ? query.offset + page.length : null,
        facets: facets as Record<keyof SearchResponse['facets'], Facet[]>,
      };
    },
  };
}
