import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPasswordCost } from '../../src/auth/password.js';
import { users } from '../../src/users/users.tables.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('users', () => {
  it('an admin creates a user who can then sign in; the response never carries the password hash', async () => {
    const admin = await t.signedIn(['admin']);
    const created = await admin.post('/api/users', {
      email: 'New.Agent@Example.test',
      name: 'New Agent',
      password: 'first-password-1',
      roles: ['agent'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.agent@example.test', roles: ['agent'], active: true, teams: [] });
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt|passwordHash/);
    expect(
      (await t.client().post('/api/auth/login', { email: 'new.agent@example.test', password: 'first-password-1' }))
        .status,
    ).toBe(200);
  });

  it('refuses a second user with the same email, naming the field', async () => {
    const admin = await t.signedIn(['admin']);
    const body = { email: 'twice@example.test', name: 'Twice', password: 'first-password-1', roles: ['viewer'] };
    expect((await admin.post('/api/users', body)).status).toBe(201);
    const again = await admin.post('/api/users', { ...body, email: 'TWICE@example.test' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'user.email_taken', details: [{ path: 'body.email' }] });
  });

  it('only admins manage users; managers may read them; others may not', async () => {
    const viewer = await t.signedIn(['viewer']);
    const manager = await t.signedIn(['manager']);
    expect((await viewer.get('/api/users')).status).toBe(403);
    expect((await manager.get('/api/users')).status).toBe(200);
    const denied = await manager.post('/api/users', {
      email: 'm@example.test',
      name: 'M',
      password: 'first-password-1',
      roles: ['viewer'],
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('auth.forbidden');
  });

  it('an admin cannot lock themselves out', async () => {
    const admin = await t.signedIn(['admin']);
    const response = await admin.patch(`/api/users/${admin.user.id}`, { roles: ['viewer'] });
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('user.self_lockout');
  });

  it('a password reset by an admin signs the user out and the new password works', async () => {
    const admin = await t.signedIn(['admin']);
    const user = await t.signedIn(['author']);
    expect((await admin.patch(`/api/users/${user.user.id}`, { password: 'reset-by-admin-1' })).status).toBe(200);
    expect((await user.get('/api/me')).status).toBe(401);
    expect((await t.client().post('/api/auth/login', { email: user.user.email, password: TEST_PASSWORD })).status).toBe(
      401,
    );
    expect(
      (await t.client().post('/api/auth/login', { email: user.user.email, password: 'reset-by-admin-1' })).status,
    ).toBe(200);
  });
});

describe('stored passwords', () => {
  const storedHash = async (on: TestApp, userId: string) => {
    const [stored] = await on.app.storage.db
      .select({ hash: users.passwordHash })
      .from(users)
      .where(eq(users.id, userId));
    return stored!.hash;
  };

  it("are scrypt hashes at the product's cost, and a hash made at another cost still signs its user in", async () => {
    // The tests' own apps hash at a lower cost (test/support/app.ts); this one hashes as the product does.
    const product = await startTestApp({ passwordCost: defaultPasswordCost });
    const signIn = (email: string) => product.client().post('/api/auth/login', { email, password: TEST_PASSWORD });
    try {
      const user = await product.createUser(['viewer']);
      expect(await storedHash(product, user.id)).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect((await signIn(user.email)).status).toBe(200);

      const cheaper = await storedHash(t, (await t.createUser(['viewer'])).id);
      expect(cheaper).not.toMatch(/^scrypt\$16384\$/);
      await product.app.storage.db.update(users).set({ passwordHash: cheaper }).where(eq(users.id, user.id));
      expect((await signIn(user.email)).status).toBe(200);
    } finally {
      await product.close();
    }
  });
});

describe('the staff list', () => {
  it("pages with each user's teams, every user exactly once, and refuses a forged cursor", async () => {
    const admin = await t.signedIn(['admin']);
    const agent = await t.createUser(['agent']);
    const team = await admin.post('/api/teams', { name: 'Listed desk', memberIds: [agent.id] });
    const everyone: { id: string; name: string; teams: { id: string; name: string }[] }[] = [];
    let cursor: string | null = null;
    do {
      const page = await admin.get(`/api/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.users.length).toBeLessThanOrEqual(2);
      everyone.push(...page.body.users);
      cursor = page.body.nextCursor;
    } while (cursor);

    const all = await admin.get('/api/users');
    expect(all.body.nextCursor).toBeNull();
    expect(everyone.map((user) => user.id)).toEqual(all.body.users.map((user: { id: string }) => user.id));
    expect(everyone.find((user) => user.id === agent.id)?.teams).toEqual([{ id: team.body.id, name: 'Listed desk' }]);
    expect(JSON.stringify(all.body)).not.toMatch(/scrypt|passwordHash/);

    const forged = await admin.get('/api/users?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body.details[0].path).toBe('querystring.cursor');
  });
});

describe('teams', () => {
  it('are created with members, renamed, and show on the members', async () => {
    const admin = await t.signedIn(['admin']);
    const agent = await t.createUser(['agent']);
    const created = await admin.post('/api/teams', {
      name: 'Complaints',
      description: 'Handles complaints',
      memberIds: [agent.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.members).toEqual([{ id: agent.id, name: agent.name, email: agent.email }]);

    const renamed = await admin.patch(`/api/teams/${created.body.id}`, { name: 'Complaints desk' });
    expect(renamed.body.name).toBe('Complaints desk');
    const member = await admin.get(`/api/users/${agent.id}`);
    expect(member.body.teams).toEqual([{ id: created.body.id, name: 'Complaints desk' }]);

    const clash = await admin.post('/api/teams', { name: 'Complaints desk' });
    expect(clash.status).toBe(409);
    const unknownMember = await admin.post('/api/teams', {
      name: 'Ghosts',
      memberIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownMember.status).toBe(400);
    expect(unknownMember.body.details[0].path).toBe('body.memberIds');

    expect((await admin.delete(`/api/teams/${created.body.id}`)).status).toBe(204);
    expect((await admin.get(`/api/users/${agent.id}`)).body.teams).toEqual([]);
  });
});
