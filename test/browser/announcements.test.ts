import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from './support/session.js';
import { useBrowserSession } from './support/session.js';

const TITLE = 'The service desk moves to the new phone system on Monday';
// The demo's fax-first businesses (src/demo/demo-customers.ts), with a year of faxed invoices (src/demo/demo-fax-history.ts).
const FAX_SEGMENT = 'Fax-first small businesses';

const session = useBrowserSession();
let page: Page;
let api: ApiCall;
let announcement: { id: string };

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
  api = await session.apiOf(page);
  announcement = await api('POST', '/api/announcements', {
    title: TITLE,
    body: 'Calls ring on the new headsets from 8:00.',
  });
});

describe('announcements and the channel-shift planner', () => {
  it('publishes an announcement, which the signed-in person acknowledges from the home page', async () => {
    await page.goto(`${session.baseUrl}/announcements/${announcement.id}`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor();

    await page.getByRole('link', { name: 'Tidings start page' }).click();
    const banner = page.getByRole('region', { name: `Announcement: ${TITLE}` });
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Acknowledge' }).click();
    await banner.waitFor({ state: 'detached' });

    await page.goto(`${session.baseUrl}/announcements/${announcement.id}`);
    const staff = page.getByRole('region', { name: 'Staff reach' });
    await staff.getByText('Acknowledged').waitFor();
    const reach = await api<{ staff: { acknowledged: number; recipients: number } }>(
      'GET',
      `/api/announcements/${announcement.id}/reach`,
    );
    expect(reach.staff.acknowledged).toBe(1);
    expect(reach.staff.recipients).toBeGreaterThan(1);
    expect(await page.getByRole('table', { name: 'Acknowledgement per person' }).textContent()).toContain(
      'Mara Manager',
    );
  });

  it('shows what moving the demo fax customers to email saves a year, and starts the change', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Announcements' }).click();
    await page.getByRole('link', { name: 'Plan a channel shift' }).click();
    await page.getByRole('heading', { level: 1, name: 'Channel-shift planner' }).waitFor();
    await page.getByLabel('Segment').selectOption({ label: FAX_SEGMENT });
    const plan = page.getByRole('region', { name: 'Saving per year' });
    await plan.waitFor();
    const saving = await plan.getByRole('heading', { level: 2 }).textContent();
    // Four businesses, twelve faxes each, at the demo's rates: a fax costs more than an email.
    expect(saving).toMatch(/Saving per year: .*[1-9]/);
    expect(await plan.textContent()).toContain('4 customers');

    await plan.getByRole('button', { name: 'Start the change' }).click();
    await page.getByRole('heading', { level: 1, name: `${FAX_SEGMENT} → email` }).waitFor();
    expect(await page.getByRole('region', { name: 'Since the start' }).textContent()).toContain('0 of 4');
    await page.getByRole('link', { name: /^Moving "Fax-first small businesses"/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Moving "Fax-first small businesses"/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Customer reach' }).textContent()).toContain('starts when published');
  });
});
