import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

const clock = testClock();
let t: TestApp;

const TOKEN_MAX_DAYS = 30;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  t = await startTestApp({ clock, config: { sessionTtlMs: 60 * 60_000, tokenMaxDays: TOKEN_MAX_DAYS } });
});

/** The audit events of one action about one entity, as an auditor reads them. */
async function auditEvents(action: string, entityId: string) {
  const auditor = await t.signedIn(['admin']);
  const response = await auditor.get(`/api/audit?action=${action}&entityId=${encodeURIComponent(entityId)}`);
  expect(response.status).toBe(200);
  return response.body.events as { actorLabel: string; actorId: string | null; summary: Record<string, unknown> }[];
}
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

  it('rejects a deactivated user', async () => {
    const admin = await t.signedIn(['admin']);
    const user = await t.createUser(['agent']);
    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).status).toBe(200);
    expect((await t.client().post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
  });
});

describe('the audit trail of signing in and out', () => {
  it('records successful and failed sign-ins with the address, and sign-outs', async () => {
    const user = await t.createUser(['viewer']);
    const wrong = await t.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'not-the-password' },
      remoteAddress: '192.0.2.44',
    });
    expect(wrong.statusCode).toBe(401);
    const unknown = await t
      .client()
      .post('/api/auth/login', { email: 'ghost@example.test', password: 'whatever-it-is' });
    expect(unknown.status).toBe(401);
    const client = await t.client().signIn(user.email, TEST_PASSWORD);
    expect((await client.post('/api/auth/logout')).status).toBe(204);

    expect(await auditEvents('auth.login_failed', user.id)).toEqual([
      expect.objectContaining({
        actorId: null,
        summary: { email: user.email, address: '192.0.2.44', reason: 'wrong_password' },
      }),
    ]);
    expect(await auditEvents('auth.login_failed', 'ghost@example.test')).toEqual([
      expect.objectContaining({ summary: expect.objectContaining({ reason: 'unknown_email' }) }),
    ]);
    expect(await auditEvents('auth.login', user.id)).toEqual([
      expect.objectContaining({ actorId: user.id, summary: { address: '127.0.0.1' } }),
    ]);
    expect(await auditEvents('auth.logout', user.id)).toEqual([
      expect.objectContaining({ actorId: user.id, actorLabel: user.email }),
    ]);
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
    expect(wrong.body.details).toEqual([{ path: 'body.currentPassword', message: 'is not correct' }]);

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
    expect(created.body.scope).toBe('full');
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

  it('records who created and who revoked a token', async () => {
    const owner = await t.signedIn(['agent']);
    const created = await owner.post('/api/tokens', { name: 'Audited', scope: 'read' });
    expect((await owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    expect(await auditEvents('api_token.created', created.body.id)).toEqual([
      expect.objectContaining({
        actorId: owner.user.id,
        summary: expect.objectContaining({ name: 'Audited', scope: 'read' }),
      }),
    ]);
    expect(await auditEvents('api_token.revoked', created.body.id)).toEqual([
      expect.objectContaining({ actorId: owner.user.id }),
    ]);
  });

  it('lets a read-only token read (GET, HEAD) and refuses every change it attempts', async () => {
    const owner = await t.signedIn(['admin']);
    const created = await owner.post('/api/tokens', { name: 'Dashboard', scope: 'read' });
    expect(created.status).toBe(201);
    expect(created.body.scope).toBe('read');
    const integration = t.client();
    integration.bearer = created.body.secret;
    expect((await integration.get('/api/teams')).status).toBe(200);
    expect((await integration.request('HEAD', '/api/teams')).status).toBe(200);
    for (const attempt of [
      () => integration.post('/api/teams', { name: 'Made by a read-only token' }),
      () => integration.post('/api/tokens', { name: 'Escalation' }),
      () => integration.delete(`/api/tokens/${created.body.id}`),
    ]) {
      const refused = await attempt();
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('auth.token_read_only');
    }
    const teams = await owner.get('/api/teams');
    expect(teams.body.teams.map((team: { name: string }) => team.name)).not.toContain('Made by a read-only token');
    expect((await owner.get('/api/tokens')).body.tokens.map((token: { name: string }) => token.name)).toEqual([
      'Dashboard',
    ]);
  });

  it('gives a token at most the configured life, the default when no expiry is asked for', async () => {
    const owner = await t.signedIn(['agent']);
    const lasting = await owner.post('/api/tokens', { name: 'No expiry given' });
    expect(lasting.status).toBe(201);
    expect(new Date(lasting.body.expiresAt).getTime()).toBe(clock.now().getTime() + TOKEN_MAX_DAYS * DAY_MS);

    const forever = await owner.post('/api/tokens', { name: 'Forever', expiresAt: '9999-12-31T00:00:00Z' });
    const justTooLong = await owner.post('/api/tokens', {
      name: 'A day too long',
      expiresAt: new Date(clock.now().getTime() + (TOKEN_MAX_DAYS + 1) * DAY_MS).toISOString(),
    });
    const past = await owner.post('/api/tokens', { name: 'Past', expiresAt: '2020-01-01T00:00:00Z' });
    for (const refused of [forever, justTooLong, past]) {
      expect(refused.status).toBe(400);
      expect(refused.body.details[0].path).toBe('body.expiresAt');
    }
    expect(forever.body.message).toContain(`${TOKEN_MAX_DAYS} days`);
    expect((await owner.get('/api/tokens')).body).toMatchObject({
      tokens: [expect.objectContaining({ name: 'No expiry given' })],
      maxLifeDays: TOKEN_MAX_DAYS,
    });

    const integration = t.client();
    integration.bearer = lasting.body.secret;
    clock.advance(TOKEN_MAX_DAYS * DAY_MS - 60_000);
    expect((await integration.get('/api/me')).status).toBe(200);
    clock.advance(60_000);
    expect((await integration.get('/api/me')).status).toBe(401);
  });

  it("revokes a user's tokens when an admin resets their password, and when they change it", async () => {
    const admin = await t.signedIn(['admin']);
    const owner = await t.signedIn(['agent']);
    const integration = t.client();
    integration.bearer = (await owner.post('/api/tokens', { name: 'Before the reset' })).body.secret;
    expect((await integration.get('/api/me')).status).toBe(200);

    expect((await admin.patch(`/api/users/${owner.user.id}`, { password: 'reset-by-the-admin' })).status).toBe(200);
    const afterReset = await integration.get('/api/me');
    expect(afterReset.status).toBe(401);
    expect(afterReset.body.error).toBe('auth.invalid_token');
    expect(await auditEvents('user.updated', owner.user.id)).toEqual([
      expect.objectContaining({ summary: expect.objectContaining({ password: 'reset', apiTokensRevoked: 1 }) }),
    ]);

    const again = await t.client().signIn(owner.user.email, 'reset-by-the-admin');
    integration.bearer = (await again.post('/api/tokens', { name: 'Before the change' })).body.secret;
    expect((await integration.get('/api/me')).status).toBe(200);
    expect(
      (await again.post('/api/me/password', { currentPassword: 'reset-by-the-admin', newPassword: 'chosen-by-owner' }))
        .status,
    ).toBe(204);
    expect((await integration.get('/api/me')).status).toBe(401);
    expect((await again.get('/api/tokens')).body.tokens).toEqual([]);
  });

  it("does not let one user revoke another user's token", async () => {
    const owner = await t.signedIn(['agent']);
    const other = await t.signedIn(['agent']);
    const created = await owner.post('/api/tokens', { name: 'Mine' });
    expect((await other.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);
    expect((await owner.get('/api/tokens')).body.tokens).toHaveLength(1);
  });
});
