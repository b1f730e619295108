import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry module is `name` beside the module at `besideUrl`: the .ts
 * entry when running from the sources (tests, dev), the .js one once compiled. Node 20 cannot load
 * .ts itself and a worker does not inherit tsx's hooks from a programmatic register(), so a .ts
 * entry is loaded by a bootstrap that registers tsx in the thread first.
 */
export function startThread(besideUrl: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const extension = path.extname(fileURLToPath(besideUrl));
  const entry = new URL(`./${name}${extension}`, besideUrl);
  // Explicitly none: per-process flags of the parent (a heap size) are refused in a worker, and
  // loader flags would not load the .ts entry anyway.
  const settings = { ...options, execArgv: [] };
  if (extension !== '.ts') return new Worker(entry, settings);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...settings, eval: true });
}
