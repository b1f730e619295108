import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { keyOf, useApiData } from '../../ui/use-api-data.js';
import { runHasEnded } from '../communication-vocabulary.js';
import { batchRunsApi, type BatchRun, type BatchRunProgress } from './batch-runs.api.js';

/** live: events arrive; reconnecting: the browser is retrying; lost: the stream closed for good; ended: the run is over. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'lost' | 'ended';

/** A run that has not ended and is not followed live is asked again this often. */
const POLL_EVERY_MS = 5000;

/**
 * A batch run's progress: loaded once, then followed through the server's event stream (one
 * "progress" event a second) until the run completes or is cancelled. The stream closes then, and
 * when the page goes away. Each event lands in the data cache under the run's path, so every view
 * of the run shows it. `live: false` (a browser holds only a few streams open per server) asks
 * again every few seconds instead; `enabled: false` asks nothing.
 */
export function useRunProgress(id: string, { live = true, enabled = true } = {}) {
  const client = useQueryClient();
  const path = batchRunsApi.runPath(id);
  const loaded = useApiData<BatchRunProgress>(enabled ? path : null, {
    refreshEveryMs: live ? undefined : POLL_EVERY_MS,
  });
  const progress = loaded.data?.id === id ? loaded.data : undefined;
  const ended = progress ? runHasEnded(progress.status) : undefined;
  const [stream, setStream] = useState<{ id: string; connection: Connection }>();
  const [generation, setGeneration] = useState(0);

  const following = enabled && live && ended === false;
  useEffect(() => {
    if (!following) return;
    const source = new EventSource(batchRunsApi.eventsPath(id));
    source.addEventListener('progress', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as BatchRunProgress;
      // Closed before the server ends the stream, or the browser would reconnect to a finished run.
      if (runHasEnded(next.status)) source.close();
      client.setQueryData(keyOf(batchRunsApi.runPath(id)), next);
      setStream({ id, connection: 'live' });
    });
    source.addEventListener('error', () =>
      setStream({ id, connection: source.readyState === EventSource.CLOSED ? 'lost' : 'reconnecting' }),
    );
    return () => source.close();
  }, [client, id, following, generation]);

  /** After pause, resume or cancel: the answer's status shows at once, the stream brings the counts. */
  const applyRun = useCallback(
    (run: BatchRun) => {
      const key = keyOf(batchRunsApi.runPath(run.id));
      client.setQueryData<BatchRunProgress>(key, (current) => current && { ...current, ...run });
      // A run that ended has no stream left to bring its final counts.
      if (runHasEnded(run.status)) void client.invalidateQueries({ queryKey: key });
    },
    [client],
  );
  const { reload } = loaded;
  const reconnect = useCallback(() => {
    reload();
    setStream(undefined);
    setGeneration((count) => count + 1);
  }, [reload]);

  const connection: Connection = ended ? 'ended' : stream?.id === id && following ? stream.connection : 'connecting';
  return { progress, error: loaded.error, connection, applyRun, reconnect };
}
