import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, config: { sessionTtlMs: 60 * 60_000 } });
});
afterAll(() => t.close());

describe('signing in', () => {
  it('gives an http-only session cookie and the CSRF token; /api/me answers with the user', async () => {
    const user = await t.createUser(['author']);
    const response = await t
      .client()
      .post('/api/auth/login', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ email: user.email, roles: ['author'] });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    const cookie = String([response.headers['set-cookie']].flat()[0]);
    expect(cookie).toMatch(/^tidings_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const client = t.client();
    client.cookie = cookie.split(';')[0];
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(user.email);
    expect(me.body.csrfToken).toBe(response.body.csrfToken);
  });

  it('refuses a wrong password or an unknown email with the same 401', async () => {
    const user = await t.createUser(['viewer']);
    const wrong = await t.client().post('/api/auth/login', { email: user.email, password: 'not-the-password' });
    const unknown = await t
      .client()
      .post('/api/auth/login', { email: 'nobody@example.test', password: 'whatever-it-is' });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        error: 'auth.invalid_credentials',
        message: expect.stringContaining('not correct'),
      });
    }
  });

  it('throttles an account after five failures and lets the right password in once the window passes', async () => {
    const user = await t.createUser(['viewer']);
    for (let i = 0; i < 5; i++) {
      expect((await t.client().post('/api/auth/login', { email: user.email, password: `wrong-${i}` })).status).toBe(
        401,
      );
    }
    const throttled = await t.client().post('/api/auth/login', { email: user.email, password: TEST_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('900');
    clock.advance(16 * 60_000);
    expect((await t.client().post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('rejects a deactivated user', async () => {
    const admin = await t.signedIn(['admin']);
    const user = await t.createUser(['agent']);
    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).status).toBe(200);
    expect((await t.client().post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
  });
});

describe('sessions', () => {
  it('requires a session or token for the API', async () => {
    const response = await t.client().get('/api/me');
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('auth.required');
  });

  it('expires after the configured time', async () => {
    const client = await t.signedIn(['viewer']);
    expect((await client.get('/api/me')).status).toBe(200);
    clock.advance(61 * 60_000);
    const expired = await client.get('/api/me');
    expect(expired.status).toBe(401);
  });

  it('ends at logout', async () => {
    const client = await t.signedIn(['viewer']);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('refuses a cookie write without the CSRF token, or with a forged one, and changes nothing', async () => {
    const client = await t.signedIn(['admin']);
    const missing = await client.post('/api/teams', { name: 'Missing CSRF' }, { 'x-csrf-token': '' });
    const forged = await client.post('/api/teams', { name: 'Forged CSRF' }, { 'x-csrf-token': 'forged-token-value' });
    for (const response of [missing, forged]) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('auth.csrf_failed');
    }
    const teams = await client.get('/api/teams');
    expect(teams.body.teams.map((team: { name: string }) => team.name)).not.toContain('Forged CSRF');
    expect(teams.body.teams.map((team: { name: string }) => team.name)).not.toContain('Missing CSRF');
  });
});

describe('password change', () => {
  it('needs the current password, then signs out the other sessions but keeps this one', async () => {
    const user = await t.createUser(['author']);
    const here = await t.client().signIn(user.email, TEST_PASSWORD);
    const elsewhere = await t.client().signIn(user.email, TEST_PASSWORD);

    const wrong = await here.post('/api/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-brand-new-password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ path: 'currentPassword', message: 'is not correct' }]);

    const short = await here.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.details[0].path).toBe('body.newPassword');

    expect(
      (await here.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-password' }))
        .status,
    ).toBe(204);
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).status).toBe(401);
    expect((await t.client().post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    expect(
      (await t.client().post('/api/auth/login', { email: user.email, password: 'a-brand-new-password' })).status,
    ).toBe(200);
  });
});

describe('API tokens', () => {
  it('shows the secret once, authenticates as its user without CSRF, and stops working when revoked', async () => {
    const owner = await t.signedIn(['agent']);
    const created = await owner.post('/api/tokens', { name: 'Zapier' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^tdg_/);
    expect(created.body.prefix).toBe(created.body.secret.slice(0, 10));

    const listed = await owner.get('/api/tokens');
    expect(listed.body.tokens).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const integration = t.client();
    integration.bearer = created.body.secret;
    const me = await integration.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(owner.user.email);
    expect(me.body.csrfToken).toBeNull();
    expect(
      (await integration.post('/api/me/password', { currentPassword: 'x', newPassword: 'y-long-enough-pw' })).status,
    ).toBe(400);

    expect((await owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await integration.get('/api/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('auth.invalid_token');
  });

  it('refuses an expired token and a made-up one', async () => {
    const owner = await t.signedIn(['viewer']);
    const created = await owner.post('/api/tokens', {
      name: 'Short-lived',
      expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    const integration = t.client();
    integration.bearer = created.body.secret;
    expect((await integration.get('/api/me')).status).toBe(200);
    clock.advance(2 * 60_000);
    expect((await integration.get('/api/me')).status).toBe(401);
    integration.bearer = 'tdg_madeup';
    expect((await integration.get('/api/me')).status).toBe(401);
  });

  it("does not let one user revoke another user's token", async () => {
    const owner = await t.signedIn(['agent']);
    const other = await t.signedIn(['agent']);
    const created = await owner.post('/api/tokens', { name: 'Mine' });
    expect((await other.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);
    expect((await owner.get('/api/tokens')).body.tokens).toHaveLength(1);
  });
});
