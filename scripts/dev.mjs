// `npm run dev`: the API server on port 3000 (demo data unless TIDINGS_DEMO says otherwise) and the
// Vite dev server with hot reload, which proxies /api to it. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The port is fixed because web/vite.config.ts proxies to it.
const api = spawn(process.execPath, ['bin/tidings.js', 'start', '--demo'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORT: '3000' },
});

/** The web app is served once the API answers, so the first page load does not meet proxy errors. */
async function apiReady() {
  for (;;) {
    if (api.exitCode !== null || api.signalCode !== null) return false;
    const ready = await fetch('http://localhost:3000/readyz').then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return true;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

let web;
let stopping = false;
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  const running = api.exitCode === null && api.signalCode === null;
  const apiStopped = running ? once(api, 'exit') : Promise.resolve();
  if (running) api.kill('SIGINT');
  await Promise.all([web?.close(), apiStopped]);
  process.exit(exitCode);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
api.on('exit', (code) => {
  if (!stopping) console.error(`The API server stopped (exit code ${code}); stopping the web dev server too.`);
  void stop(code ?? 1);
});

console.log('Starting the API server on http://localhost:3000; the web app follows when it is ready…');
if (await apiReady()) {
  web = await createServer({ configFile: path.join(root, 'web/vite.config.ts') });
  await web.listen();
  web.printUrls();
}
