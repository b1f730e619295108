import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.js';

export type ApiData<T> = {
  data: T | undefined;
  error: unknown;
  /** True while a request is in flight; earlier data stays shown meanwhile. */
  loading: boolean;
  reload: () => void;
  /** Replaces the data after a write that returned the new state, without another request. */
  replace: (data: T) => void;
};

/**
 * GETs `path` and keeps the answer; fetches again when the path changes, on `reload()`, and every
 * `refreshEveryMs` while the page is visible. A null path fetches nothing.
 */
export function useApiData<T>(path: string | null, { refreshEveryMs }: { refreshEveryMs?: number } = {}): ApiData<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  // A request is identified by its path and generation; loading lasts until that one has settled.
  const request = `${generation} ${path}`;
  const [settled, setSettled] = useState<string | null>(null);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next refresh is timed from the end of this one, so a slow answer is never cut off.
    const refreshLater = () => {
      if (refreshEveryMs) timer = setTimeout(refresh, refreshEveryMs);
    };
    const refresh = () => (document.hidden ? refreshLater() : setGeneration((count) => count + 1));
    api
      .get<T>(path, controller.signal)
      .then((answer) => {
        setData(answer);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure);
      })
      .finally(() => {
        if (controller.signal.aborted) return;
        setSettled(`${generation} ${path}`);
        refreshLater();
      });
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, generation, refreshEveryMs]);

  const reload = useCallback(() => setGeneration((count) => count + 1), []);
  const replace = useCallback((next: T) => setData(next), []);
  return { data, error, loading: path !== null && settled !== request, reload, replace };
}
