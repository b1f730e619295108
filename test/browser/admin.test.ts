import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/browser.js';
import { useBrowserSession } from './support/session.js';

const ADMIN = 'admin@tidings.local';
const demoEmails = ['admin', 'manager', 'author', 'reviewer', 'agent', 'records', 'viewer'].map(
  (name) => `${name}@tidings.local`,
);

const session = useBrowserSession();

const bearer = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });

describe('signing in', () => {
  it('says so on the sign-in page when the password is wrong', async () => {
    const page = await session.newPage();
    await signIn(page, session.baseUrl, ADMIN, 'not-the-password');

    await expect(page.getByRole('alert').textContent()).resolves.toContain('The email or password is not correct.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('tells a non-admin who opens an admin page that they need the admin role, and signs them out', async () => {
    const page = await session.signedIn('viewer@tidings.local', 'Victor');
    expect(await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Admin' }).count()).toBe(
      0,
    );

    await page.goto(`${session.baseUrl}/admin/users`);
    await page.getByRole('heading', { name: 'You need the admin role' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${session.baseUrl}/admin/users`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});

describe('admin pages', () => {
  let page: Page;

  beforeAll(async () => {
    page = await session.signedIn(ADMIN, 'Ada');
  });

  const openSection = async (name: string) => {
    await page.goto(`${session.baseUrl}/admin`);
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  };

  it('lists the demo users with their roles', async () => {
    await openSection('Users');
    await page.getByRole('cell', { name: ADMIN }).waitFor();

    for (const email of demoEmails) expect(await page.getByRole('cell', { name: email, exact: true }).count()).toBe(1);
    const records = await page.getByRole('row', { name: /records@tidings\.local/ }).textContent();
    expect(records).toContain('Records manager');
    expect(records).toContain('Active');
  });

  it('creates a user, showing what the server rejects next to the field first', async () => {
    await openSection('Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Email').fill('agent@tidings.local');
    await dialog.getByLabel('Name').fill('Nora Newcomer');
    await dialog.getByLabel('Password').fill('short');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('Password must be at least 10 characters').waitFor();

    await dialog.getByLabel('Password').fill('long-enough-password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('Email is already taken').waitFor();

    await dialog.getByLabel('Email').fill('nora@tidings.local');
    await dialog.getByLabel('Agent').check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = await page.getByRole('row', { name: /nora@tidings\.local/ }).textContent();
    expect(row).toContain('Nora Newcomer');
    expect(row).toContain('Agent');
  });

  it('lists the demo teams with their members', async () => {
    await openSection('Teams');
    const correspondence = page.getByRole('article', { name: 'Correspondence' });
    await correspondence.waitFor();

    expect(await correspondence.textContent()).toMatch(/Arthur Author.*Rita Reviewer|Rita Reviewer.*Arthur Author/);
    expect(await page.getByRole('article', { name: 'Customer service' }).textContent()).toContain('Aiden Agent');
    expect(await page.getByRole('article', { name: 'Records' }).textContent()).toContain('Rosa Records');
  });

  it('creates an API token whose secret, shown once, works until the token is revoked', async () => {
    await openSection('API tokens');
    await page.getByLabel('Name').fill('Browser test token');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('You will not see it again').waitFor();
    const secret = await page.getByLabel('Token secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);

    const signedIn = await fetch(`${session.baseUrl}/api/me`, bearer(secret));
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { user: { email: string } }).user.email).toBe(ADMIN);

    // Read only unless the admin asks for more: it reads, and any change is refused.
    const row = page.getByRole('row', { name: /Browser test token/ });
    expect(await row.textContent()).toContain('Read only');
    const write = await fetch(`${session.baseUrl}/api/teams`, {
      method: 'POST',
      headers: { ...bearer(secret).headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made by a read-only token' }),
    });
    expect(write.status).toBe(403);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke “Browser test token”?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await row.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Token secret').count()).toBe(0);

    const afterRevoke = await fetch(`${session.baseUrl}/api/me`, bearer(secret));
    expect(afterRevoke.status).toBe(401);
  });

  it('shows job counts by status, refreshes them every 2 seconds and filters by status', async () => {
    await openSection('Jobs');
    const counts = page.getByRole('region', { name: 'Jobs by status' });
    await counts.waitFor();
    for (const status of ['Queued', 'Running', 'Succeeded', 'Dead', 'Cancelled']) {
      expect(await counts.getByRole('button', { name: new RegExp(`^${status} \\d+$`) }).count()).toBe(1);
    }

    const isJobList = (url: string) => new URL(url).pathname === '/api/jobs';
    const started = Date.now();
    await page.waitForResponse((response) => isJobList(response.url()), { timeout: 5000 });
    await page.waitForResponse((response) => isJobList(response.url()), { timeout: 5000 });
    expect(Date.now() - started).toBeGreaterThan(1500);

    const filtered = page.waitForRequest(
      (request) => isJobList(request.url()) && new URL(request.url()).searchParams.get('status') === 'dead',
    );
    await counts.getByRole('button', { name: /^Dead/ }).click();
    await filtered;
    expect(new URL(page.url()).searchParams.get('status')).toBe('dead');
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('dead');
  });

  it('shows the sign-in in the audit trail, filters it and verifies the chain', async () => {
    await openSection('Audit trail');
    const login = page
      .getByRole('row', { name: /auth\.login/ })
      .filter({ hasText: ADMIN })
      .first();
    await login.waitFor();
    expect(await page.getByRole('row', { name: /api_token\.revoked/ }).textContent()).toContain('Browser test token');

    await page.getByLabel('Action').fill('user.created');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('row', { name: /nora@tidings\.local/ }).waitFor();
    // The unfiltered rows stay, dimmed, until the filtered list has loaded.
    const actions = page.locator('tbody tr td:nth-child(3)');
    await expect
      .poll(async () => new Set(await actions.allTextContents()), { timeout: 10_000 })
      .toEqual(new Set(['user.created']));
    expect(await actions.count()).toBe(demoEmails.length + 1);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = await page.getByText(/Intact: \d+ events verified/).textContent();
    expect(Number(verdict?.match(/Intact: (\d+)/)?.[1])).toBeGreaterThan(demoEmails.length);
  });
});
