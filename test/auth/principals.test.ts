import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import type { TestClient } from '../support/client.js';

// Each test reads as the signed-in user first, so what follows is answered by what the server keeps
// from that read: every change must show at once, on the very next request.
const clock = testClock();
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp({ clock });
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

/** A user signed in with a session, and an integration using an API token of theirs. */
async function userWithTokenAndSession(roles: Parameters<TestApp['createUser']>[0]) {
  const session = await t.signedIn(roles);
  const created = await session.post('/api/tokens', { name: 'Integration' });
  expect(created.status).toBe(201);
  const integration = t.client();
  integration.bearer = created.body.secret;
  return { user: session.user, session, integration, tokenId: created.body.id as string };
}

const meOf = async (client: TestClient) => {
  const response = await client.get('/api/me');
  expect(response.status).toBe(200);
  return response.body.user as { roles: string[]; teams: { id: string; name: string }[]; name: string };
};

describe('what the server keeps about a signed-in user', () => {
  it('shows new roles at once, in /api/me and in what the session and the token may do', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['agent']);
    for (const client of [session, integration]) {
      expect((await meOf(client)).roles).toEqual(['agent']);
      expect((await client.get('/api/users')).status).toBe(403);
    }

    expect((await admin.patch(`/api/users/${user.id}`, { roles: ['manager'], name: 'Renamed' })).status).toBe(200);

    for (const client of [session, integration]) {
      expect(await meOf(client)).toMatchObject({ roles: ['manager'], name: 'Renamed' });
      expect((await client.get('/api/users')).status).toBe(200);
    }
  });

  it('answers each caller with their own /api/me, the same on every request, and a staff list that shows a rename at once', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['manager']);
    const secondSession = await t.client().signIn(user.email, TEST_PASSWORD);
    const other = await t.signedIn(['manager']);

    const answers = async () =>
      Promise.all(
        [session, secondSession, integration, other].map(async (client) => (await client.get('/api/me')).body),
      );
    const first = await answers();
    expect(first.map((answer) => answer.csrfToken)).toEqual([
      session.csrfToken,
      secondSession.csrfToken,
      null,
      other.csrfToken,
    ]);
    expect(new Set(first.map((answer) => answer.csrfToken)).size).toBe(4);
    expect(first.map((answer) => answer.user.id)).toEqual([user.id, user.id, user.id, other.user.id]);
    expect(await answers()).toEqual(first);

    const listed = async () => {
      const response = await session.get('/api/users?limit=200');
      expect(response.status).toBe(200);
      return (response.body.users as { id: string; name: string }[]).find((listedUser) => listedUser.id === user.id);
    };
    expect(await listed()).toMatchObject({ name: user.name });
    expect((await admin.patch(`/api/users/${user.id}`, { name: 'Known Anew' })).status).toBe(200);
    expect(await listed()).toMatchObject({ name: 'Known Anew' });
    expect((await meOf(integration)).name).toBe('Known Anew');
  });

  it('shows joining a team, its new name and leaving it at once in /api/me', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['viewer']);
    expect((await meOf(session)).teams).toEqual([]);
    expect((await meOf(integration)).teams).toEqual([]);

    const team = await admin.post('/api/teams', { name: `Front desk ${user.id}`, memberIds: [user.id] });
    expect(team.status).toBe(201);
    for (const client of [session, integration]) {
      expect((await meOf(client)).teams).toEqual([{ id: team.body.id, name: `Front desk ${user.id}` }]);
    }

    expect((await admin.patch(`/api/teams/${team.body.id}`, { name: `Back office ${user.id}` })).status).toBe(200);
    expect((await meOf(session)).teams).toEqual([{ id: team.body.id, name: `Back office ${user.id}` }]);

    expect((await admin.patch(`/api/teams/${team.body.id}`, { memberIds: [] })).status).toBe(200);
    expect((await meOf(session)).teams).toEqual([]);
    expect((await meOf(integration)).teams).toEqual([]);
  });

  it('refuses a disabled user at once, by session and by token, and lets the token in again once enabled', async () => {
    const { user, session, integration } = await userWithTokenAndSession(['agent']);
    expect((await session.get('/api/me')).status).toBe(200);
    expect((await integration.get('/api/me')).status).toBe(200);

    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).status).toBe(200);
    expect((await session.get('/api/me')).status).toBe(401);
    expect((await integration.get('/api/me')).status).toBe(401);

    expect((await admin.patch(`/api/users/${user.id}`, { active: true })).status).toBe(200);
    expect((await integration.get('/api/me')).status).toBe(200);
    // Disabling ended the session for good: signing in again is the way back.
    expect((await session.get('/api/me')).status).toBe(401);
  });

  it("refuses a token at once when an admin resets its user's password", async () => {
    const { user, session, integration } = await userWithTokenAndSession(['agent']);
    expect((await integration.get('/api/me')).status).toBe(200);
    expect((await admin.patch(`/api/users/${user.id}`, { password: 'an-admin-chosen-password' })).status).toBe(200);
    expect((await integration.get('/api/me')).status).toBe(401);
    expect((await session.get('/api/me')).status).toBe(401);
  });

  it("records a token's last use to the minute instead of on every request", async () => {
    const { session, integration, tokenId } = await userWithTokenAndSession(['viewer']);
    const lastUsed = async () => {
      const listed = await session.get('/api/tokens');
      return listed.body.tokens.find((token: { id: string }) => token.id === tokenId).lastUsedAt as string | null;
    };
    expect(await lastUsed()).toBeNull();

    const first = clock.now().toISOString();
    expect((await integration.get('/api/me')).status).toBe(200);
    expect(await lastUsed()).toBe(first);

    clock.advance(30_000);
    expect((await integration.get('/api/me')).status).toBe(200);
    expect(await lastUsed()).toBe(first);

    clock.advance(31_000);
    const later = clock.now().toISOString();
    expect((await integration.get('/api/me')).status).toBe(200);
    expect(await lastUsed()).toBe(later);
  });
});
