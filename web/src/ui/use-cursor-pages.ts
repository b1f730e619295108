import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/client.js';
import { keyOf, withCursor } from './use-api-data.js';

type Cursor = string | null;
type Page<K extends string, T> = { [key in K]: T[] } & { nextCursor: Cursor };

export type CursorPages<T> = {
  /** Every item loaded so far for the current path; earlier results stay shown while a new path loads. */
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  /** True while the items shown are an earlier path's, and the current one's are on their way. */
  stale: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  loadMore: () => void;
  /** Asks again for every page shown, keeping what is shown until the answers arrive. */
  reload: () => void;
};

/**
 * A list the server hands out in keyset pages: the first page for `path`, then more on request,
 * passing the page's `nextCursor` back as the `cursor` query parameter (every paged list takes it).
 * Cached under the path like any answer (`useApiData`), so invalidating the path reloads it.
 */
export function useCursorPages<K extends string, T>(path: string | null, listKey: K): CursorPages<T> {
  const query = useInfiniteQuery({
    // The pages sit beside the first page's own answer, never in its place.
    queryKey: [...keyOf(path ?? ''), 'pages'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<K, T>>(pageParam === null ? path! : withCursor(path!, pageParam), signal),
    initialPageParam: null as Cursor,
    getNextPageParam: (page) => page.nextCursor,
    enabled: path !== null,
    placeholderData: keepPreviousData,
  });
  const { fetchNextPage, refetch } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    items: query.data?.pages.flatMap((page) => page[listKey]),
    error: query.error ?? undefined,
    loading: query.isFetching && !query.isFetchingNextPage,
    stale: query.isPlaceholderData,
    loadingMore: query.isFetchingNextPage,
    hasMore: query.hasNextPage,
    loadMore,
    reload,
  };
}
