import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreMigratedDatabase } from '../support/data-folder.js';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../support/free-port.js';
import { CRASH_ADMIN_PASSWORD, sendThenKill, startTidings } from './support.js';

const children = new Set<ChildProcess>();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-inbound-crash-'));
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The tickets the running server lists, read as its first admin. */
async function ticketSubjects(baseUrl: string): Promise<string[]> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@tidings.local', password: CRASH_ADMIN_PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const list = await fetch(`${baseUrl}/api/tickets?limit=100`, { headers: { cookie } });
  const body = (await list.json()) as { tickets: { subject: string }[] };
  return body.tickets.map((ticket) => ticket.subject).sort();
}

describe('the inbound listener is killed right after it answered 250 (embedded database)', () => {
  it('keeps every accepted message: after a restart each is on a ticket', async () => {
    const smtpPort = await freePort();
    const environment = { DATABASE_URL: '', TIDINGS_DATA_DIR: dataDir, TIDINGS_INBOUND_SMTP_PORT: String(smtpPort) };
    // Migrated beforehand: the crash is the point here, a first start's initdb is start.test.ts's.
    await restoreMigratedDatabase(dataDir);
    // No workers in the first process: whatever it accepted can only become a ticket after the restart.
    const first = await startTidings({ ...environment, TIDINGS_WORKERS: '0' }, children);
    await sendThenKill(first.child, smtpPort, 3);

    const second = await startTidings({ ...environment, TIDINGS_WORKERS: '2' }, children);
    expect(
      await waitFor(
        () => ticketSubjects(second.baseUrl),
        (subjects) => subjects.length === 3,
      ),
    ).toEqual(['Crash 0', 'Crash 1', 'Crash 2']);
    const stopped = once(second.child, 'exit');
    second.child.kill('SIGTERM');
    expect((await stopped)[0]).toBe(0);
  }, 180_000);
});
