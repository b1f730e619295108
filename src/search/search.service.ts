import { sql, type SQL } from 'drizzle-orm';
import { can, authorize } from '../auth/policy.js';
import { rows, type Database } from '../db/database.js';
import { HIGHLIGHT_START, HIGHLIGHT_STOP, snippetHtml } from '../knowledge/article-text.js';
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

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const textArray = (values: string[]) => sql`${`{${values.map((value) => JSON.stringify(value)).join(',')}}`}::text[]`;

type Row = Omit<SearchResult, 'snippet'> & { headline: string };
type Facet = { value: string; label: string; count: number };

export type SearchService = ReturnType<typeof createSearchService>;

/**
 * Full-text search over what a staff member may read: documents (title, description, tags and
 * metadata values, and the extracted text of their current version) with documents.read, archived
 * communications (the text of their archived copy) with communications.copies. Deleted and disposed
 * documents are never found. Ranked by ts_rank (titles weigh most), with highlighted snippets and
 * facet counts over everything that matches the filters.
 */
export function createSearchService({ db }: { db: Database }) {
  /** The kinds this actor may see, of those asked for. */
  function readableKinds(actor: Actor, asked: SearchKind[] | undefined): SearchKind[] {
    const readable: SearchKind[] = [];
    if (can(actor, 'documents.read')) readable.push('document');
    if (can(actor, 'communications.copies')) readable.push('communication');
    // One who may read neither is refused, naming what reading documents needs.
    if (readable.length === 0) authorize(actor, 'documents.read');
    return readable.filter((kind) => !asked?.length || asked.includes(kind));
  }

  /** The matching documents and communications as one kind of row, before filters. */
  function entries(kinds: SearchKind[], query: SQL) {
    const parts: SQL[] = [];
    if (kinds.includes('document'))
      parts.push(sql`
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
               ts_rank(document_search_vector(d.title, d.description, d.tags, d.metadata)
                       || coalesce(t.search, ''::tsvector), ${query}) as rank,
               coalesce(nullif(t.text, ''), d.description) as body
        from (
          select d.id from documents d
          where document_search_vector(d.title, d.description, d.tags, d.metadata) @@ ${query}
          union
          -- The current version's text only: a word of an older version finds nothing.
          select t.document_id from document_texts t
          join documents d on d.id = t.document_id and d.current_version = t.version
          where t.search @@ ${query}
        ) hit
        join documents d on d.id = hit.id
        join document_folders f on f.id = d.folder_id
        left join document_texts t on t.document_id = d.id and t.version = d.current_version
        where d.status in ('active', 'record')`);
    if (kinds.includes('communication'))
      parts.push(sql`
        select 'communication' as kind, c.id, ct.title, null::uuid as folder_id, null::text as folder_name,
               split_part(c.archive_media_type, ';', 1) as media_type, '{}'::text[] as tags, c.channel,
               array[c.customer_id] as customer_ids, c.created_at as at,
               ts_rank(ct.search, ${query}) as rank, ct.text as body
        from communication_texts ct
        join communications c on c.id = ct.communication_id
        where ct.search @@ ${query}`);
    return sql.join(parts, sql` union all `);
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

  return {
    async search(actor: Actor, query: SearchQuery): Promise<SearchResponse> {
      const kinds = readableKinds(actor, query.kind);
      // Written out (not a CTE) wherever it is used, so the planner folds it to a constant and uses the GIN indexes.
      const tsquery = sql`websearch_to_tsquery('pg_catalog.english', ${query.q})`;
      const empty = { kind: [], folder: [], mediaType: [], tag: [], customer: [], month: [] };
      if (kinds.length === 0) return { total: 0, results: [], nextOffset: null, facets: empty };
      const facet = (value: SQL, label: SQL, from: SQL = sql`found`) => sql`(
        select coalesce(json_agg(json_build_object('value', value, 'label', label, 'count', count)
                                 order by count desc, label), '[]')
        from (select ${value} as value, ${label} as label, count(*)::int as count
              from ${from} group by 1, 2 order by 3 desc, 2 limit ${FACET_VALUES}) facet)`;
      const [answer] = await rows<{ total: number; page: Row[]; facets: SearchResponse['facets'] }>(
        db,
        sql`
        with found as materialized (
          select * from (${entries(kinds, tsquery)}) entry where ${filters(query)}
        ),
        page as (
          select * from found order by rank desc, at desc, id limit ${query.limit} offset ${query.offset}
        )
        select
          (select count(*)::int from found) as total,
          (select coalesce(json_agg(json_build_object(
              'kind', kind, 'id', id, 'title', title, 'rank', rank, 'folderId', folder_id,
              'folderName', folder_name, 'mediaType', media_type, 'tags', tags, 'customerIds', customer_ids,
              'channel', channel, 'at', at,
              'headline', ts_headline('pg_catalog.english', left(body, ${SNIPPET_SOURCE_CHARS}), ${tsquery},
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
      const { total, page, facets } = answer!;
      return {
        total,
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
