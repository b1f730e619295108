import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from './support/session.js';
import { demoCustomerId, useBrowserSession } from './support/session.js';

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
  const customerId = await demoCustomerId(api, CUSTOMER);
  const letter = await api<{ id: string }>('POST', '/api/communications', {
    template: 'tariff-change',
    customerId,
    data: TARIFF_DATA,
  });
  complaint = await api('POST', '/api/tickets', {
    kind: 'complaint',
    subject: SUBJECT,
    customerId,
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

  it('lets a manager set and change a goal on the complaint rate, which an agent sees on the board and drills down from', async () => {
    await page.goto(`${session.baseUrl}/insights`);
    await page.getByRole('button', { name: 'New goal' }).click();
    const dialog = page.getByRole('dialog', { name: 'New goal' });
    await dialog.getByLabel('Name').fill('Letters without complaints');
    await dialog.getByLabel('KPI').selectOption({ label: 'Complaint rate' });
    await dialog.getByLabel(/^Target/).fill('1.5');
    await dialog.getByLabel('Rolls up to').selectOption({ label: GOAL });
    await dialog.getByRole('button', { name: 'Set goal' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Edit goal Letters without complaints' }).click();
    const editing = page.getByRole('dialog', { name: 'Edit goal' });
    await editing.getByLabel(/^Target/).fill('1');
    await editing.getByRole('button', { name: 'Save goal' }).click();
    await editing.waitFor({ state: 'detached' });

    const agent = await session.signedIn('agent@tidings.local', 'Aiden');
    await agent.goto(`${session.baseUrl}/insights`);
    const children = agent.getByRole('list', { name: `Goals rolling up to ${GOAL}` });
    const goal = children.getByRole('article', { name: 'Goal: Letters without complaints' });
    await goal.waitFor();
    expect(await goal.textContent()).toContain('Complaint rate at most 1 %');
    expect(await agent.getByRole('button', { name: 'New goal' }).count()).toBe(0);
    expect(await goal.getByRole('button', { name: /^Edit goal/ }).count()).toBe(0);
    // The agent drills down from this week's complaint rate to the complaint behind it.
    const card = agent.getByRole('article', { name: 'Complaint rate' });
    await card
      .getByRole('button', { name: /^Records behind/ })
      .last()
      .click();
    await card
      .getByRole('region', { name: /Complaint rate: records of/ })
      .getByRole('link', { name: `#${complaint.number} ${SUBJECT}` })
      .waitFor();
    // A team narrows the service-desk KPIs; the complaint rate says it is not narrowed by it.
    await agent.getByRole('search', { name: 'Period and filters' }).getByLabel('Team').selectOption({ index: 1 });
    await card.getByText('Not narrowed by team').waitFor();
    expect(await agent.getByRole('article', { name: 'Backlog' }).getByText('Not narrowed by').count()).toBe(0);

    // The manager removes it again.
    await page
      .getByRole('article', { name: 'Goal: Letters without complaints' })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await page
      .getByRole('dialog', { name: /Delete the goal/ })
      .getByRole('button', { name: 'Delete the goal' })
      .click();
    await page.getByRole('article', { name: 'Goal: Letters without complaints' }).waitFor({ state: 'detached' });
  });

  it("shows a template's return on its page against the baseline the reader picks", async () => {
    await page.goto(`${session.baseUrl}/templates/tariff-change`);
    const panel = page.getByRole('region', { name: 'Return on this template' });
    const saving = panel.getByRole('status');
    await saving.getByText(/^Against every item by letter/).waitFor();
    expect(await panel.getByRole('table', { name: 'Return per version' }).count()).toBe(1);
    await panel.getByLabel('Compare with').selectOption('fax');
    await saving.getByText(/^Against every item by fax/).waitFor();
  });
});
