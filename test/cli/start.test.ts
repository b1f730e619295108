import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { init as initLexer, parse as parseImports } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTidings } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

const packageJson = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

// `npm start` builds before it starts the server; the web app is not needed here, the server's build is.
beforeAll(async () => {
  await run('npm', ['run', '--silent', 'build:server']);
}, 180_000);

/** The server command of `npm start` (what follows the build), as the package declares it. */
function npmStartCommand(): string[] {
  const [program, ...args] = packageJson.scripts.start!.split('&&').at(-1)!.trim().split(/\s+/);
  expect(program).toBe('node');
  return args;
}

/** Runs `npm start`'s server on a fresh data folder until it is up, then stops it; returns what it printed. */
async function firstStart(environment: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-start-'));
  folders.push(dataDir);
  const port = await freePort();
  const child = spawn(process.execPath, npmStartCommand(), {
    env: {
      ...process.env,
      DATABASE_URL: '',
      TIDINGS_DEMO: '',
      TIDINGS_ADMIN_PASSWORD: '',
      ...environment,
      TIDINGS_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
      TIDINGS_WORKERS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tidings is up')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`tidings start exited before it was up:\n${output}`)));
  });
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  const healthz = { status: health.status, body: await health.json() };
  child.kill('SIGTERM');
  await exited;
  const exported = await runTidings(['customers', 'export'], {
    ...process.env,
    DATABASE_URL: '',
    TIDINGS_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  expect(exported.code, exported.stderr).toBe(0);
  const customers = exported.stdout.trim().split('\n').length - 1;
  return { output, customers, healthz };
}

describe('npm start on a fresh clone', () => {
  it('loads the demo data and prints the demo logins, as the README says', async () => {
    const { output, customers, healthz } = await firstStart({});
    expect(healthz).toEqual({ status: 200, body: { status: 'ok' } });
    expect(output).toContain('Demo logins (email, password, roles):');
    expect(output).toMatch(/admin@tidings\.local\s+tidings-demo\s+admin/);
    expect(output).toMatch(/agent@tidings\.local\s+tidings-demo\s+agent/);
    expect(customers).toBeGreaterThan(10);
  }, 180_000);

  it('creates only the first admin when the operator turns the demo off', async () => {
    const { output, customers } = await firstStart({ TIDINGS_DEMO: '0' });
    expect(output).toContain('Created the first admin; keep this password:');
    expect(output).not.toContain('tidings-demo');
    expect(customers).toBe(0);
  }, 180_000);
});

describe('the bundled server', () => {
  it('imports no package outside `dependencies`, so it runs where dev dependencies are not installed', async () => {
    await initLexer;
    const imported = new Map<string, string>();
    for (const file of fs.readdirSync('dist', { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      const [imports] = parseImports(fs.readFileSync(path.join('dist', file), 'utf8'));
      for (const { n: name } of imports) {
        if (!name || name.startsWith('.') || isBuiltin(name)) continue;
        const parts = name.split('/');
        imported.set(name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!, file);
      }
    }
    // A build that imports nothing would pass everything below; the embedded database is never bundled.
    expect([...imported.keys()]).toContain('@electric-sql/pglite');
    const outside = [...imported].filter(([name]) => !(name in packageJson.dependencies));
    expect(outside).toEqual([]);
  });
});
