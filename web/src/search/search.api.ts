import type { QueryOf, ResponseOf } from '../api/api-types.js';
import { withQuery } from '../api/client.js';

export type SearchAnswer = ResponseOf<'/api/search'>;
export type SearchHit = SearchAnswer['results'][number];
export type Facets = SearchAnswer['facets'];
export type FacetName = keyof Facets;
export type SearchQuery = QueryOf<'/api/search'>;
export type DocumentText = ResponseOf<'/api/documents/{id}/text'>;
export type VersionComparison = ResponseOf<'/api/documents/{id}/versions/compare'>;

export const SEARCH_PAGE_SIZE = 20;

/** Which query parameter narrows by each facet. */
export const facetParameters: Record<FacetName, keyof SearchQuery | null> = {
  kind: 'kind',
  folder: 'folderId',
  mediaType: 'mediaType',
  tag: 'tag',
  customer: 'customerId',
  // Months are shown for orientation; the date fields narrow by time.
  month: null,
};

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`;

export const searchApi = {
  searchPath: (query: SearchQuery) => withQuery('/api/search', { ...query, limit: SEARCH_PAGE_SIZE }),
  textPath: (documentId: string) => `${documentPath(documentId)}/text`,
  comparePath: (documentId: string, from: string, to: string) =>
    withQuery(`${documentPath(documentId)}/versions/compare`, { from, to }),
};

/** Where a result opens: a document's page, or the communication's. */
export const hitPath = (hit: SearchHit) =>
  hit.kind === 'document' ? `/documents/${hit.id}` : `/communications/${hit.id}`;
