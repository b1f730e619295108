import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

/** The server command of `npm start` (what follows the web build), as the package declares it. */
function npmStartCommand(): string[] {
  const script = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [program, ...args] = script.split('&&').at(-1)!.trim().split(/\s+/);
  expect(program).toBe('node');
  return args;
}

/** Runs `npm start`'s server on a fresh data folder until it is up, then stops it; returns what it printed. */
async function firstStart(environment: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-start-'));
  folders.push(dataDir);
  const child = spawn(process.execPath, npmStartCommand(), {
    env: {
      ...process.env,
      DATABASE_URL: '',
      TIDINGS_DEMO: '',
      TIDINGS_ADMIN_PASSWORD: '',
      ...environment,
      TIDINGS_DATA_DIR: dataDir,
      PORT: '0',
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
  child.kill('SIGTERM');
  await exited;
  const exported = await run(process.execPath, ['bin/tidings.js', 'customers', 'export'], {
    env: { ...process.env, DATABASE_URL: '', TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  const customers = exported.stdout.trim().split('\n').length - 1;
  return { output, customers };
}

describe('npm start on a fresh clone', () => {
  it('loads the demo data and prints the demo logins, as the README says', async () => {
    const { output, customers } = await firstStart({});
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
