/**
 * Cleanups that must run even when the bench is interrupted (Ctrl-C) or a section throws:
 * dropping the PostgreSQL database, removing temporary folders. Sections also run them in
 * `finally`; `runCleanup` is idempotent per registration.
 */
const pending = new Map<number, () => Promise<void>>();
let nextId = 0;

export function onCleanup(task: () => Promise<void>): () => Promise<void> {
  const id = nextId++;
  pending.set(id, task);
  return async () => {
    const registered = pending.get(id);
    if (!registered) return;
    pending.delete(id);
    await registered();
  };
}

/** Runs every cleanup still registered, newest first; failures are reported, not thrown. */
export async function runAllCleanups(report: (error: unknown) => void = () => {}) {
  const tasks = [...pending.entries()].reverse();
  pending.clear();
  for (const [, task] of tasks) {
    try {
      await task();
    } catch (error) {
      report(error);
    }
  }
}
