import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useBrowserSession } from './support/session.js';

const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
const SLOW = { timeout: 60_000 };

const session = useBrowserSession();
/** The page under test; each role gets a browser context of its own. */
let page: Page;

beforeAll(async () => {
  page = await session.newPage();
});

/** Waits until the page has drawn its heading and finished loading what it shows. */
async function settled(path: string) {
  await page.goto(`${session.baseUrl}${path}`);
  await page.locator('h1').first().waitFor(SLOW);
  await expect
    .poll(
      () =>
        page
          .getByRole('status')
          .filter({ hasText: /^Loading/ })
          .count(),
      SLOW,
    )
    .toBe(0);
}

describe('every page of the web app', () => {
  it('has no serious or critical accessibility violations and a title of its own', { timeout: 600_000 }, async () => {
    await page.goto(`${session.baseUrl}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const findings: Record<string, string[]> = {};
    const titles: Record<string, string> = {};
    /** Text a page shows once it has drawn the part worth checking. */
    const shows: Record<string, string> = {};
    const check = async (path: string, as = '') => {
      if (path !== '/login') await settled(path);
      if (shows[path] && !as) await page.getByText(shows[path]).first().waitFor(SLOW);
      const found = await seriousViolations(page);
      if (found.length) findings[`${as}${path}`] = found;
      titles[`${as}${path}`] = await page.title();
    };
    await check('/login');

    await session.signInAs(page, 'admin@tidings.local', 'Ada');
    const api = await session.apiOf(page);

    // Something of every kind to open: a batch run with its communications, an email in the outbox, a job.
    const { segments } = await api<{ segments: { id: string; name: string }[] }>('GET', '/api/segments');
    const segmentId = segments.find((segment) => segment.name === 'Fax-first small businesses')!.id;
    const run = await api<{ id: string }>('POST', '/api/batch-runs', {
      template: 'tariff-change',
      segmentId,
      data: TARIFF_DATA,
    });
    const { customers } = await api<{ customers: { id: string; name: string }[] }>(
      'GET',
      '/api/customers?q=Autohaus%20Braun',
    );
    const email = await api<{ id: string }>('POST', '/api/communications', {
      template: 'tariff-change',
      customerId: customers[0]!.id,
      data: TARIFF_DATA,
    });
    await expect
      .poll(
        async () =>
          (await api<{ communications: unknown[] }>('GET', `/api/communications?batchRunId=${run.id}`)).communications
            .length,
        SLOW,
      )
      .toBeGreaterThan(0);
    // A customer in quiet hours right now, with consents on record: the page shows both.
    const hour = new Date().getUTCHours();
    const at = (offset: number) => `${String((hour + offset + 24) % 24).padStart(2, '0')}:00`;
    const quiet = await api<{ id: string }>('POST', '/api/customers', {
      kind: 'person',
      givenName: 'Quinn',
      familyName: 'Quiet',
      emails: ['quinn.quiet@example.test'],
      timeZone: 'UTC',
      quietHours: { start: at(-1), end: at(2) },
      consents: [
        { channel: 'email', purpose: 'marketing', granted: true, source: 'form' },
        { channel: 'sms', purpose: 'marketing', granted: false, source: 'phone' },
      ],
    });
    shows[`/customers/${quiet.id}`] = 'Waits for quiet hours to end';
    const { jobs } = await api<{ jobs: { id: string }[] }>('GET', '/api/jobs');
    const { templates } = await api<{ templates: { key: string }[] }>('GET', '/api/templates');
    const { fragments } = await api<{ fragments: { key: string }[] }>('GET', '/api/fragments');

    const pages = [
      '/',
      '/account/password',
      '/customers',
      `/customers/${customers[0]!.id}`,
      `/customers/${quiet.id}`,
      '/customers/import',
      '/customers/duplicates',
      '/customers/segments',
      '/customers/segments/new',
      `/customers/segments/${segmentId}`,
      '/communications',
      `/communications/${email.id}`,
      '/communications/runs',
      '/communications/runs/new',
      `/communications/runs/${run.id}`,
      '/communications/outbox',
      `/communications/outbox/${email.id}`,
      '/communications/print-batches',
      '/communications/rates',
      '/templates',
      '/templates/new',
      `/templates/${templates[0]!.key}`,
      `/templates/${templates[0]!.key}/versions/1`,
      '/templates/fragments',
      `/templates/fragments/${fragments[0]!.key}`,
      '/templates/brand',
      '/templates/compliance',
      '/documents',
      '/tickets',
      '/knowledge',
      '/knowledge/new',
      '/notifications',
      '/insights',
      '/insights/channel-shift',
      '/announcements',
      '/suggestions',
      '/records',
      '/scans',
      '/admin/users',
      '/admin/teams',
      '/admin/tokens',
      '/admin/jobs',
      `/admin/jobs/${jobs[0]!.id}`,
      '/admin/audit',
      '/no-such-page',
    ];
    for (const path of pages) await check(path);

    // A viewer gets other versions of some pages: read-only consent, published text, notices of no access.
    page = await session.signedIn('viewer@tidings.local', 'Victor');
    for (const path of [
      '/',
      `/customers/${quiet.id}`,
      '/customers/import',
      '/templates/new',
      `/templates/${templates[0]!.key}`,
      '/admin/users',
    ])
      await check(path, 'viewer ');

    expect(findings).toEqual({});
    const untitled = Object.entries(titles).filter(([, title]) => !/^\S.* · Tidings$/.test(title));
    expect(untitled).toEqual([]);
    expect(titles['/login']).toBe('Sign in · Tidings');
    expect(titles['/documents']).toBe('Documents · Tidings');
  });

  it('opens the Insights board from the navigation, not "Page not found"', async () => {
    await page.goto(`${session.baseUrl}/`);
    await page
      .getByRole('navigation', { name: 'Workspace' })
      .getByRole('link', { name: /^Insights/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    await page.getByRole('region', { name: 'KPIs' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Page not found' }).count()).toBe(0);
  });
});

describe('motion', () => {
  /** The animation of each moving part, on an element of its class made in the signed-in workspace. */
  const animations = (on: Page) =>
    on.evaluate(() =>
      Object.fromEntries(
        ['spinner', 'live-dot', 'run-live-dot', 'progress-indeterminate'].map((name) => {
          const element = document.body.appendChild(document.createElement('div'));
          element.className = name;
          const style = getComputedStyle(element);
          const animation = [
            style.animationName,
            style.animationIterationCount,
            parseFloat(style.animationDuration) < 0.001,
          ];
          element.remove();
          return [name, animation.join(' ')];
        }),
      ),
    );

  it('holds spinners, live dots and progress sweeps still for whoever asks for less motion', async () => {
    const moving = await session.signedIn('admin@tidings.local', 'Ada');
    expect(await animations(moving)).toEqual({
      spinner: 'spin infinite false',
      'live-dot': 'pulse infinite false',
      'run-live-dot': 'pulse infinite false',
      'progress-indeterminate': 'sweep infinite false',
    });

    await moving.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animations(moving)).toEqual({
      spinner: 'spin 1 true',
      'live-dot': 'pulse 1 true',
      'run-live-dot': 'pulse 1 true',
      'progress-indeterminate': 'sweep 1 true',
    });
  });
});
