import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from './support/session.js';
import { useBrowserSession } from './support/session.js';

// The demo's published tariff notice and the data it declares as required.
const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
const CUSTOMER = 'Anna Becker';
const SUBJECT = 'The tariff letter quotes last year’s price';
// The demo's company goal (src/demo/demo-goals.ts), owned by the demo manager.
const GOAL = 'Complaint rate under 2 %';

const session = useBrowserSession();
let page: Page;
let api: ApiCall;
let complaint: { id: string; number: number };

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
  api = await session.apiOf(page);
  const found = await api<{ customers: { id: string; name: string }[] }>(
    'GET',
    `/api/customers?q=${encodeURIComponent(CUSTOMER)}`,
  );
  const customer = found.customers.find((candidate) => candidate.name === CUSTOMER)!;
  const letter = await api<{ id: string }>('POST', '/api/communications', {
    template: 'tariff-change',
    customerId: customer.id,
    data: TARIFF_DATA,
  });
  complaint = await api('POST', '/api/tickets', {
    kind: 'complaint',
    subject: SUBJECT,
    customerId: customer.id,
    communicationId: letter.id,
    source: 'phone',
  });
});

describe('insights', () => {
  it('shows the signed-in person their goals on the home page', async () => {
    const mine = page.getByRole('region', { name: 'My goals' });
    const goal = mine.getByRole('article', { name: `Goal: ${GOAL}` });
    await goal.waitFor();
    expect(await goal.textContent()).toContain('Complaint rate at most 2 %');
    expect(await goal.getByRole('progressbar').getAttribute('aria-valuenow')).toMatch(/^\d+$/);
    // The team goals that roll up to it are shown under it.
    const children = mine.getByRole('list', { name: `Goals rolling up to ${GOAL}` });
    expect(await children.getByRole('heading', { level: 3 }).allTextContents()).toEqual(
      expect.arrayContaining(['Backlog under 20 open tickets']),
    );
  });

  it('shows every KPI as a chart on the board, and the records behind a point', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    await page
      .getByRole('region', { name: 'Goals' })
      .getByRole('article', { name: `Goal: ${GOAL}` })
      .waitFor();

    const card = page.getByRole('article', { name: 'Complaint rate' });
    await card.getByRole('group', { name: /Complaint rate per week/ }).waitFor();
    expect(await card.locator('.kpi-help').getAttribute('title')).toMatch(/Complaint tickets about a communication/);
    // This week's bar: the letter sent today and its complaint.
    await card
      .getByRole('button', { name: /^Records behind/ })
      .last()
      .click();
    const records = card.getByRole('region', { name: /Complaint rate: records of/ });
    const link = records.getByRole('link', { name: `#${complaint.number} ${SUBJECT}` });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/tickets/${complaint.id}`);

    expect(await card.getByRole('link', { name: 'CSV' }).getAttribute('href')).toMatch(
      /^\/api\/insights\/kpis\/complaint_rate\/export\.csv\?from=/,
    );
    await link.click();
    await page.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
  });

  it('lets a manager set a goal on a KPI, rolling up to another, which everyone then sees on the board', async () => {
    await page.goto(`${session.baseUrl}/insights`);
    await page.getByRole('button', { name: 'New goal' }).click();
    const dialog = page.getByRole('dialog', { name: 'New goal' });
    await dialog.getByLabel('Name').fill('Letters without complaints');
    await dialog.getByLabel('KPI').selectOption({ label: 'Complaint rate' });
    await dialog.getByLabel(/^Target/).fill('1.5');
    await dialog.getByLabel('Rolls up to').selectOption({ label: GOAL });
    await dialog.getByRole('button', { name: 'Set goal' }).click();
    await dialog.waitFor({ state: 'detached' });

    const viewer = await session.signedIn('viewer@tidings.local', 'Victor');
    await viewer.goto(`${session.baseUrl}/insights`);
    const children = viewer.getByRole('list', { name: `Goals rolling up to ${GOAL}` });
    const goal = children.getByRole('article', { name: 'Goal: Letters without complaints' });
    await goal.waitFor();
    expect(await goal.textContent()).toContain('Complaint rate at most 1.5 %');
    expect(await viewer.getByRole('button', { name: 'New goal' }).count()).toBe(0);
  });
});
