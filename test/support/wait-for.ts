/**
 * Reads until `done` holds and returns what it read: for work another process or a worker loop does
 * in its own time. Errors count as "not yet" only when `tolerateErrors` says so (a server that is
 * restarting); otherwise the first one fails the test. On timeout the last value read is in the error.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 50, tolerateErrors = false } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      if (!tolerateErrors) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      const shown = last instanceof Error ? String(last) : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms; last: ${String(shown).slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
