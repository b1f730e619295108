import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { signedInToken } from './webdav-client.js';

const LITMUS = '/usr/bin/litmus';
const GROUPS = ['basic', 'copymove', 'props', 'locks'];
const present = fs.existsSync(LITMUS);
if (!present && process.env.CI === 'true')
  throw new Error(`litmus is not installed (${LITMUS}); CI needs it: apt-get install -y litmus`);
if (!present) console.warn(`Skipping the litmus WebDAV suite: ${LITMUS} is not installed (apt-get install -y litmus).`);

let t: TestApp;
let url: string;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-litmus-'));

beforeAll(async () => {
  if (!present) return;
  t = await startTestApp();
  await t.server.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.server.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Runs one group of litmus (it makes and removes its own `litmus/` collection below the URL). */
function litmus(base: string, user: string, password: string, group: string) {
  return new Promise<string>((resolve) => {
    execFile(
      LITMUS,
      [base, user, password],
      // litmus writes its debug.log into the folder it runs in.
      { env: { ...process.env, TESTS: group }, cwd: workDir, timeout: 120_000 },
      (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
    );
  });
}

it.skipIf(!present)(
  "passes litmus's basic, copymove, props and locks groups with every test passed",
  async () => {
    const { user, secret, client } = await signedInToken(t, ['records_manager']);
    // Litmus works below a folder: documents live in folders, not at the top of the share.
    expect((await client.request('MKCOL', '/dav/Litmus/')).status).toBe(201);
    for (const group of GROUPS) {
      const output = await litmus(`${url}/dav/Litmus/`, user.email, secret, group);
      const summary = /<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed\./.exec(output);
      expect(summary, output).not.toBeNull();
      const [, name, run, passed, failed] = summary!;
      expect(name).toBe(group);
      expect(Number(failed), output).toBe(0);
      expect(Number(passed), output).toBe(Number(run));
      // litmus warns where a server departs from a SHOULD of the RFCs; Tidings gives it nothing to warn about.
      expect(output, output).not.toMatch(/WARNING/);
    }
  },
  300_000,
);
