import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.js';

type Cursor = string | number | null;
type Page<K extends string, T> = { [key in K]: T[] } & { nextCursor: Cursor };

type Loaded<T> = { request: string; items: T[]; nextCursor: Cursor };

export type CursorPages<T> = {
  /** Every item loaded so far for the current path; earlier results stay shown while a new path loads. */
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  loadMore: () => void;
  /** Starts again from the first page, keeping what is shown until it arrives. */
  reload: () => void;
};

const withCursor = (path: string, name: string, cursor: string | number) =>
  `${path}${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(cursor)}`;

/**
 * A list the server hands out in keyset pages: the first page for `path`, then more on request,
 * passing the page's `nextCursor` back as the `cursorParam` query parameter.
 */
export function useCursorPages<K extends string, T>(
  path: string | null,
  listKey: K,
  cursorParam = 'cursor',
): CursorPages<T> {
  const [generation, setGeneration] = useState(0);
  const request = path === null ? null : `${generation} ${path}`;
  const [loaded, setLoaded] = useState<Loaded<T>>();
  const [failure, setFailure] = useState<{ request: string; error: unknown }>();
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (path === null || request === null) return;
    const controller = new AbortController();
    api.get<Page<K, T>>(path, controller.signal).then(
      (page) => setLoaded({ request, items: page[listKey], nextCursor: page.nextCursor }),
      (error: unknown) => {
        if (!controller.signal.aborted) setFailure({ request, error });
      },
    );
    return () => controller.abort();
  }, [path, request, listKey]);

  const current = loaded?.request === request ? loaded : undefined;
  const loadMore = useCallback(() => {
    if (!path || current?.nextCursor == null) return;
    setLoadingMore(true);
    api
      .get<Page<K, T>>(withCursor(path, cursorParam, current.nextCursor))
      .then(
        (page) =>
          setLoaded({
            request: current.request,
            items: [...current.items, ...page[listKey]],
            nextCursor: page.nextCursor,
          }),
        (error: unknown) => setFailure({ request: current.request, error }),
      )
      .finally(() => setLoadingMore(false));
  }, [path, current, listKey, cursorParam]);
  const reload = useCallback(() => setGeneration((count) => count + 1), []);

  const failed = failure?.request === request;
  return {
    items: loaded?.items,
    error: failed ? failure.error : undefined,
    loading: request !== null && !current && !failed,
    loadingMore,
    hasMore: current?.nextCursor != null,
    loadMore,
    reload,
  };
}
