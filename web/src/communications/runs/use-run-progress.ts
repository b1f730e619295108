import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { runHasEnded } from '../communication-vocabulary.js';
import { batchRunsApi, type BatchRun, type BatchRunProgress } from './batch-runs.api.js';

/** live: events arrive; reconnecting: the browser is retrying; lost: the stream closed for good; ended: the run is over. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'lost' | 'ended';

type State = { id: string; progress?: BatchRunProgress; error?: unknown; connection: Connection };

/**
 * A batch run's progress: loaded once, then followed through the server's event stream (one
 * "progress" event a second) until the run completes or is cancelled. The stream closes then, and
 * when the page goes away.
 */
export function useRunProgress(id: string) {
  const [state, setState] = useState<State>({ id, connection: 'connecting' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let source: EventSource | undefined;
    const update = (change: Partial<State>) =>
      setState((current) => ({ ...(current.id === id ? current : { id, connection: 'connecting' }), ...change }));

    api.get<BatchRunProgress>(batchRunsApi.runPath(id), controller.signal).then(
      (first) => {
        if (runHasEnded(first.status)) return update({ progress: first, error: undefined, connection: 'ended' });
        update({ progress: first, error: undefined });
        source = new EventSource(batchRunsApi.eventsPath(id));
        source.addEventListener('progress', (event) => {
          const progress = JSON.parse((event as MessageEvent<string>).data) as BatchRunProgress;
          const ended = runHasEnded(progress.status);
          // Closed before the server ends the stream, or the browser would reconnect to a finished run.
          if (ended) source?.close();
          update({ progress, connection: ended ? 'ended' : 'live' });
        });
        source.addEventListener('error', () => {
          if (source) update({ connection: source.readyState === EventSource.CLOSED ? 'lost' : 'reconnecting' });
        });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) update({ error });
      },
    );
    return () => {
      controller.abort();
      source?.close();
    };
  }, [id, generation]);

  /** After pause, resume or cancel: the answer's status shows at once, the next event brings the counts. */
  const applyRun = useCallback(
    (run: BatchRun) =>
      setState((current) =>
        current.id === run.id && current.progress ? { ...current, progress: { ...current.progress, ...run } } : current,
      ),
    [],
  );
  const reconnect = useCallback(() => setGeneration((count) => count + 1), []);

  const current = state.id === id ? state : undefined;
  return {
    progress: current?.progress,
    error: current?.error,
    connection: current?.connection ?? 'connecting',
    applyRun,
    reconnect,
  };
}
