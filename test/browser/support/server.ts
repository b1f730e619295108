import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { shortLivedFlags } from '../../support/short-lived.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `tidings` command built once for the run, serving the tree's web/dist. */
    tidingsWebCli: string;
    /** A data folder a first `tidings start` with the demo data left behind; each server starts on a copy. */
    demoDataFolder: string;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// A first start runs initdb and seeds the demo data; on a busy two-core machine that can take a while.
const READY_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 10_000;

/** `stop()` answers how the server ended: its exit code, or null when it had to be killed. */
export type RunningServer = { baseUrl: string; stop(): Promise<number | null> };

/** The port found free was taken before the server could listen on it. */
class PortTaken extends Error {}

/**
 * Starts a real Tidings server (`tidings start` of `cli`, with the demo data) on a free port over
 * `dataDir`, and waits until it is ready. `stop()` ends it (SIGTERM, as an operator would) and leaves
 * the data folder as the server left it.
 */
export async function startTidings(cli: string, dataDir: string): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePort(cli, dataDir);
    } catch (error) {
      // Between the probe and the server's listen, an outgoing connection of a tier running beside
      // (a database client, an SMTP test) can be given the same port: another free port is tried.
      if (!(error instanceof PortTaken) || attempt === 3) throw error;
    }
  }
}

async function startOnFreePort(cli: string, dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...shortLivedFlags, cli, 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TIDINGS_DATA_DIR: dataDir,
      TIDINGS_DEMO: '1',
      LOG_LEVEL: 'warn',
      TIDINGS_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    return child.exitCode;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      const message = `The Tidings server exited with code ${child.exitCode} before it was ready:\n${output}`;
      throw output.includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
    }
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { baseUrl, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`The Tidings server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
}

/**
 * Starts a real Tidings server for one test file: the run's build over a private copy of the demo
 * data folder (what a first start with the demo leaves, so each file begins from the same state
 * without paying initdb and the demo seed again). It serves the built web app from web/dist.
 */
export async function startServer(): Promise<RunningServer> {
  if (!fs.existsSync(path.join(repoRoot, 'web/dist/index.html'))) {
    throw new Error('web/dist/index.html is missing: build the web app first with `npm run build:web`.');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-browser-'));
  fs.cpSync(inject('demoDataFolder'), dataDir, { recursive: true });
  try {
    const server = await startTidings(inject('tidingsWebCli'), dataDir);
    return {
      baseUrl: server.baseUrl,
      stop: async () => {
        const code = await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
        return code;
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
