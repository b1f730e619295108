import { keepPreviousData, QueryClient, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { api } from '../api/client.js';

/**
 * The web app's one cache of server data (TanStack Query). Answers are kept by path; a page that
 * mounts shows what is cached at once and asks again. Failures are shown, not retried behind the
 * person's back, and a request is made whatever the browser thinks of its connection: the API
 * client says plainly when the server cannot be reached.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, networkMode: 'always' },
  },
});

/**
 * A path's cache key: its segments, then its query string. `/api/customers/7?x=1` sits under
 * `/api/customers/7` and `/api/customers`, so one invalidation reaches everything below a path.
 */
export function keyOf(path: string): string[] {
  const [pathname = '', search = ''] = path.split('?', 2);
  return [...pathname.split('/').filter(Boolean), search];
}

const prefixOf = (path: string) => keyOf(path).slice(0, -1);

/** Marks everything cached under these paths as out of date; what is on screen asks again at once. */
export function useInvalidate() {
  const client = useQueryClient();
  return useCallback(
    (...paths: string[]) =>
      Promise.all(paths.map((path) => client.invalidateQueries({ queryKey: prefixOf(path) }))).then(() => undefined),
    [client],
  );
}

/** A query as the pages use it: no error is `undefined`, and `reload` asks again. */
function useAnswer<T>(query: UseQueryResult<T>) {
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data,
    error: query.error ?? undefined,
    loading: query.isFetching,
    stale: query.isPlaceholderData,
    reload,
  };
}

export type ApiData<T> = {
  data: T | undefined;
  error: unknown;
  /** True while a request is in flight; earlier data stays shown meanwhile. */
  loading: boolean;
  /** True while the data shown is the answer to an earlier path, and the current one is on its way. */
  stale: boolean;
  reload: () => void;
  /** Replaces the data after a write that returned the new state, without another request. */
  replace: (data: T) => void;
};

/**
 * GETs `path` and keeps the answer; fetches again when the path changes, on `reload()`, and every
 * `refreshEveryMs` while the page is visible. A null path fetches nothing.
 */
export function useApiData<T>(path: string | null, { refreshEveryMs }: { refreshEveryMs?: number } = {}): ApiData<T> {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: keyOf(path ?? ''),
    queryFn: ({ signal }) => api.get<T>(path!, signal),
    enabled: path !== null,
    refetchInterval: refreshEveryMs ?? false,
    placeholderData: keepPreviousData,
  });
  const replace = useCallback((next: T) => client.setQueryData(keyOf(path ?? ''), next), [client, path]);
  return { ...useAnswer(query), replace };
}

/** `path` asking for the page after `cursor` (every keyset-paged list takes `cursor`). */
export const withCursor = (path: string, cursor: string) =>
  `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

/**
 * Every page of a keyset-paged list, read one after the other into one answer (`{ [listKey]: T[] }`):
 * for lists offered whole that stay small, like the staff in a picker; never for what grows with
 * customers. Cached under the path, so invalidating the path reads them all again.
 */
export function useEveryPage<K extends string, T>(path: string | null, listKey: K) {
  type Answer = { [key in K]: T[] };
  const client = useQueryClient();
  const queryKey = useMemo(() => [...keyOf(path ?? ''), 'every'], [path]);
  const query = useQuery({
    queryKey,
    queryFn: async ({ signal }) => {
      const items: T[] = [];
      for (let next: string | null = path; next !== null;) {
        const page = await api.get<Answer & { nextCursor: string | null }>(next, signal);
        items.push(...page[listKey]);
        next = page.nextCursor === null ? null : withCursor(path!, page.nextCursor);
      }
      return { [listKey]: items } as Answer;
    },
    enabled: path !== null,
    placeholderData: keepPreviousData,
  });
  const replace = useCallback((next: Answer) => client.setQueryData(queryKey, next), [client, queryKey]);
  const answer: ApiData<Answer> = { ...useAnswer(query), replace };
  return { ...answer, items: answer.data?.[listKey] };
}

/** A list the server answers in one piece (`{ [listKey]: T[] }`), in the shape a paged list has. */
export function useApiList<K extends string, T>(
  path: string | null,
  listKey: K,
  options?: { refreshEveryMs?: number },
) {
  const answer = useApiData<{ [key in K]: T[] }>(path, options);
  return { ...answer, items: answer.data?.[listKey] };
}

/**
 * A read the API answers to a POST (how many customers a filter matches, what a merge would do, a
 * rendering), cached under what was asked: `key` names the question (null asks nothing), `read`
 * asks it. Earlier answers stay shown, marked `stale`, while a new question is on its way.
 */
export function useApiRead<T>(
  key: readonly unknown[] | null,
  read: () => Promise<T>,
  { keepFor }: { keepFor?: number } = {},
) {
  const query = useQuery({
    queryKey: ['read', ...(key ?? [])],
    queryFn: read,
    enabled: key !== null,
    placeholderData: keepPreviousData,
    gcTime: keepFor,
  });
  return useAnswer(query);
}
