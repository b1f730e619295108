import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPALS_CHANNEL } from '../../src/auth/principals.service.js';
import { rows } from '../../src/db/database.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';

// Two Tidings processes on one PostgreSQL database, as behind a load balancer: this test's own and a
// second server process. Each signed-in caller is first answered by the second process, which keeps
// what it read for a minute unless told otherwise; a change made through this process must show there
// as soon as the NOTIFY sent at its commit has arrived. That takes a moment on a busy machine (a
// process to be scheduled), so the test waits a few seconds at most: far less than the minute, so
// only the notification can make it pass.
const serverScript = fileURLToPath(new URL('./fixtures/server-process.ts', import.meta.url));
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;
let other: ChildProcess;
let otherUrl: string;

function startOtherProcess(): Promise<void> {
  other = spawn(process.execPath, ['--import', 'tsx', serverScript], {
    env: { ...process.env, DATABASE_URL: t.storage.url, TIDINGS_DATA_DIR: t.dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    other.stdout!.on('data', (chunk: Buffer) => {
      const port = /ready (\d+)/.exec(chunk.toString())?.[1];
      if (port) {
        otherUrl = `http://127.0.0.1:${port}`;
        resolve();
      }
    });
    other.on('exit', (code) => reject(new Error(`the second process exited with ${code} before it was ready`)));
  });
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
  await startOtherProcess();
});
afterAll(async () => {
  if (other && other.exitCode === null) {
    const exited = new Promise((resolve) => other.once('exit', resolve));
    other.kill('SIGTERM');
    await exited;
  }
  await t.close();
});

/** GET /api/me on the second process with the client's session cookie or API token. */
async function meThere(client: TestClient) {
  const headers: Record<string, string> = {};
  if (client.cookie) headers.cookie = client.cookie;
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
  const response = await fetch(`${otherUrl}/api/me`, { headers });
  const body = (await response.json()) as { user?: { roles: string[] }; error?: string };
  return { status: response.status, body };
}

/** What the second process answers once the change has reached it (well before its cache would expire). */
const nextThere = (client: TestClient, changed: (answer: Awaited<ReturnType<typeof meThere>>) => boolean) =>
  waitFor(() => meThere(client), changed, { timeoutMs: 5_000, intervalMs: 5 });
const refusedThere = (client: TestClient) => nextThere(client, (answer) => answer.status === 401);

/** A user signed in with a session, and an integration using an API token of theirs, both known there. */
async function userWithTokenAndSession(roles: Parameters<TestApp['createUser']>[0]) {
  const session = await t.signedIn(roles);
  const created = await session.post('/api/tokens', { name: 'Integration' });
  expect(created.status).toBe(201);
  const integration = t.client();
  integration.bearer = created.body.secret;
  expect((await meThere(session)).status).toBe(200);
  expect((await meThere(integration)).status).toBe(200);
  return { user: session.user, session, integration, tokenId: created.body.id as string };
}

describe('a change made in one process, in every other at once', () => {
  it('refuses a revoked token', async () => {
    const { session, integration, tokenId } = await userWithTokenAndSession(['agent']);
    expect((await session.delete(`/api/tokens/${tokenId}`)).status).toBe(204);
    const refused = await refusedThere(integration);
    expect(refused.body.error).toBe('auth.invalid_token');
    expect((await meThere(session)).status).toBe(200);
  });

  it('refuses a signed-out session', async () => {
    const { session, integration } = await userWithTokenAndSession(['viewer']);
    expect((await session.post('/api/auth/logout')).status).toBe(204);
    await refusedThere(session);
    expect((await meThere(integration)).status).toBe(200);
  });

  it('refuses a disabled user by session and by token', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['agent']);
    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).status).toBe(200);
    await refusedThere(session);
    await refusedThere(integration);
  });

  it('signs out the other sessions and tokens after a password change, and keeps the session that made it', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['author']);
    const elsewhere = await t.client().signIn(user.email, TEST_PASSWORD);
    expect((await meThere(elsewhere)).status).toBe(200);

    const changed = await session.post('/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-brand-new-password',
    });
    expect(changed.status).toBe(204);
    await refusedThere(elsewhere);
    await refusedThere(integration);
    expect((await meThere(session)).status).toBe(200);
  });

  it('shows new roles', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['viewer']);
    expect((await admin.patch(`/api/users/${user.id}`, { roles: ['reviewer'] })).status).toBe(200);
    for (const client of [session, integration]) {
      const answer = await nextThere(client, ({ body }) => body.user?.roles.includes('reviewer') === true);
      expect(answer.body.user?.roles).toEqual(['reviewer']);
    }
  });

  it('shows a new user and a renamed one in the staff list it keeps', async () => {
    const staffThere = async () => {
      const response = await fetch(`${otherUrl}/api/users?limit=500`, { headers: { cookie: admin.cookie! } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { users: { id: string; name: string }[] }).users;
    };
    const user = await t.createUser(['viewer']);
    expect((await staffThere()).find((listed) => listed.id === user.id)?.name).toBe(user.name);
    expect((await admin.patch(`/api/users/${user.id}`, { name: 'Renamed Elsewhere' })).status).toBe(200);
    const renamed = await waitFor(staffThere, (staff) => staff.some((listed) => listed.name === 'Renamed Elsewhere'), {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
    expect(renamed.filter((listed) => listed.id === user.id)).toHaveLength(1);
    const newcomer = await t.createUser(['agent']);
    await waitFor(staffThere, (staff) => staff.some((listed) => listed.id === newcomer.id), {
      timeoutMs: 5_000,
      intervalMs: 5,
    });
  });

  it('shows a change announced while the other process had lost its listening connection', async () => {
    const { session, integration, tokenId } = await userWithTokenAndSession(['agent']);
    // As in a database restart or a failover: the sessions that listen end, and the NOTIFY goes unheard.
    const [ended] = await rows<{ n: number }>(
      t.app.db,
      sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where datname = current_database() and query = ${`listen "${PRINCIPALS_CHANNEL}"`}`,
    );
    expect(ended!.n).toBeGreaterThan(0);
    expect((await session.delete(`/api/tokens/${tokenId}`)).status).toBe(204);
    await refusedThere(integration);
  });
});
