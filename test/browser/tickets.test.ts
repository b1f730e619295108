import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiCall } from './support/session.js';
import { demoCustomerId, useBrowserSession } from './support/session.js';

// The demo's published tariff notice and the data it declares as required.
const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
// A demo customer who takes everything by letter: the notice is rendered as a PDF and archived.
const CUSTOMER = 'Anna Becker';
const SUBJECT = 'The new tariff letter shows the wrong monthly amount';
// Rendering a letter is done by the server's job workers on a busy two-core machine.
const SLOW = { timeout: 60_000 };
// The public help-centre article the agent's answer links to.
const ARTICLE = 'How to read the monthly amount in your tariff letter';

const session = useBrowserSession();
let page: Page;
let api: ApiCall;
let ticketId: string;
let letterId: string;
let customerId: string;

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
  api = await session.apiOf(page);

  customerId = await demoCustomerId(api, CUSTOMER);
  const article = await api<{ id: string }>('POST', '/api/knowledge/articles', {
    title: ARTICLE,
    visibility: 'public',
    body: 'The monthly amount is the price that applies from the date the letter names.',
  });
  await api('POST', `/api/knowledge/articles/${article.id}/actions`, { action: 'publish' });
  letterId = (
    await api<{ id: string }>('POST', '/api/communications', {
      template: 'tariff-change',
      customerId,
      data: TARIFF_DATA,
    })
  ).id;
  await vi.waitFor(
    async () => {
      const letter = await api<{ archiveMediaType: string | null }>('GET', `/api/communications/${letterId}`);
      if (letter.archiveMediaType !== 'application/pdf') throw new Error('The letter is not archived yet');
    },
    { ...SLOW, interval: 500 },
  );
  // The customer's call about the letter, taken down by someone else: nobody works it yet.
  ticketId = (
    await api<{ id: string }>('POST', '/api/tickets', {
      kind: 'complaint',
      subject: SUBJECT,
      customerId,
      communicationId: letterId,
      source: 'phone',
      priority: 'high',
      message: 'My letter says 42.50 a month, but I was promised 39.90.',
    })
  ).id;
}, 120_000);

/** The number a tab of the inbox shows beside its name. */
const tabCount = (name: string) =>
  page.getByRole('navigation', { name: 'Inbox views' }).getByRole('link', { name: new RegExp(`^${name}`) });

// One agent's path through a complaint: each step starts where the previous one left off.
describe('the service desk', () => {
  it('lists the new complaint among the unassigned tickets of the inbox, with a count', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Service desk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await expect.poll(() => tabCount('Unassigned').textContent()).toMatch(/^Unassigned\s*[1-9]/);

    await tabCount('Unassigned').click();
    const table = page.getByRole('table', { name: 'Tickets' });
    const row = table.getByRole('row', { name: new RegExp(SUBJECT) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Complaint.*Anna Becker.*New.*High/);
    // The kind filter keeps the address, so the filtered inbox can be shared.
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Request' });
    await page.getByText('No ticket matches').waitFor();
    expect(new URL(page.url()).searchParams.get('kind')).toBe('request');
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Complaint' });
    await row.getByRole('link', { name: new RegExp(SUBJECT) }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tickets/${ticketId}`);
  });

  it('shows the letter the complaint is about inline, as the PDF that was sent', async () => {
    const concerned = page.getByRole('region', { name: 'The communication it is about' });
    await concerned.getByText('Tariff change notice · version 1').waitFor();
    const pdf = concerned.locator('iframe[title="PDF as sent"]');
    await pdf.waitFor(SLOW);
    expect(await pdf.getAttribute('src')).toBe(`/api/communications/${letterId}/copy`);
    expect(await concerned.getByRole('link', { name: 'Open the communication' }).getAttribute('href')).toBe(
      `/communications/${letterId}`,
    );
    // The customer's words open the conversation; their timeline beside it has the new ticket.
    const conversation = page.getByRole('list', { name: 'Conversation' });
    expect(await conversation.getByRole('listitem').first().textContent()).toContain('promised 39.90');
    await page
      .getByRole('list', { name: 'Timeline entries' })
      .getByText(/^Complaint #\d+/)
      .first()
      .waitFor();
  });

  it('adds an internal note that mentions a colleague, who is notified', async () => {
    await page.getByRole('group', { name: 'What to add' }).getByRole('button', { name: 'Internal note' }).click();
    const note = page.getByRole('textbox', { name: 'Internal note' });
    await note.fill('Checked the letter: the amount comes from the data. @Aid');
    await page
      .getByRole('list', { name: 'Colleagues to mention' })
      .getByRole('button', { name: 'Aiden Agent' })
      .click();
    expect(await note.inputValue()).toBe('Checked the letter: the amount comes from the data. @Aiden Agent ');
    await note.press('End');
    await note.pressSequentially('please confirm the tariff.');
    await page.getByRole('status').filter({ hasText: 'Notifies Aiden Agent' }).waitFor();
    await page.getByRole('button', { name: 'Add note' }).click();

    const added = page.getByRole('listitem', { name: 'Internal note by Mara Manager' });
    await added.waitFor();
    expect(await added.textContent()).toContain('@Aiden Agent please confirm the tariff.');
    expect(await added.textContent()).toContain('Notified: Aiden Agent');
    await expect.poll(() => note.inputValue()).toBe('');

    // Aiden hears of it by the bell, and the notice leads to the ticket.
    const agent = await session.signedIn('agent@tidings.local', 'Aiden');
    await agent.getByRole('link', { name: 'Notifications 1 unread' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const notices = agent.getByRole('list', { name: 'Notifications' });
    await notices.getByRole('link', { name: /^Mara Manager mentioned you on Complaint #\d+$/ }).click();
    await agent.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
    expect(new URL(agent.url()).pathname).toBe(`/tickets/${ticketId}`);
    await agent.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
  });

  it('records what the customer said, splits it into a ticket of its own and merges that back', async () => {
    await page.getByRole('group', { name: 'What to add' }).getByRole('button', { name: 'Customer message' }).click();
    await page.getByRole('textbox', { name: 'What Anna Becker said' }).fill('And the letter came twice.');
    await page.getByRole('button', { name: 'Record customer message' }).click();
    const said = page.getByRole('listitem', { name: 'Customer by Anna Becker' }).filter({ hasText: 'came twice' });
    await said.waitFor();

    await said.getByRole('button', { name: 'Split into a new ticket' }).click();
    const split = page.getByRole('dialog', { name: 'Split into a new ticket' });
    await split.getByLabel('Subject of the new ticket').fill('Letter delivered twice');
    await split.getByRole('button', { name: 'Split' }).click();
    await page.getByRole('heading', { level: 1, name: /Letter delivered twice/ }).waitFor();
    const splitUrl = page.url();
    expect(await page.getByRole('list', { name: 'Conversation' }).textContent()).toContain('came twice');

    await page.getByRole('button', { name: 'Merge…' }).click();
    const merge = page.getByRole('dialog', { name: /^Merge ticket #\d+$/ });
    await merge.getByRole('radio', { name: new RegExp(SUBJECT) }).check();
    await merge.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tickets/${ticketId}`);
    await page.getByRole('list', { name: 'Conversation' }).getByText('came twice').waitFor();
    const merged = await api<{ status: string; mergedIntoId: string | null }>(
      'GET',
      `/api/tickets/${splitUrl.split('/').pop()}`,
    );
    expect(merged).toMatchObject({ status: 'closed', mergedIntoId: ticketId });
  });

  it('keeps a canned response with placeholders for the customer, the ticket and the agent', async () => {
    await page.getByRole('link', { name: '← Inbox' }).click();
    await page.getByRole('link', { name: 'Canned responses' }).click();
    await page.getByRole('heading', { level: 1, name: 'Canned responses' }).waitFor();
    await page.getByRole('button', { name: 'New canned response' }).click();
    const dialog = page.getByRole('dialog', { name: 'New canned response' });
    await dialog.getByLabel('Name').fill('New tariff price');
    await dialog
      .getByLabel('Text (Markdown)')
      .fill(
        'Dear {{ customer.givenName }},\n\nabout ticket #{{ ticket.number }}: the new price applies from the effective date.',
      );
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('table', { name: 'Canned responses' }).getByText('New tariff price').waitFor();
    await page.goto(new URL(`/tickets/${ticketId}`, page.url()).href);
    await page.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
  });

  it('answers with a knowledge article: the reply goes out as a communication, into the outbox and onto the timeline', async () => {
    await page.getByRole('group', { name: 'What to add' }).getByRole('button', { name: 'Reply' }).click();
    const reply = page.getByRole('textbox', { name: 'Reply to Anna Becker' });
    await page.getByRole('combobox', { name: 'Canned response' }).selectOption({ label: 'New tariff price' });
    await expect
      .poll(() => reply.inputValue())
      .toMatch(/^Dear Anna,\n\nabout ticket #\d+: the new price applies from the effective date\.$/);
    await page.getByRole('searchbox', { name: 'Insert a knowledge article' }).fill('monthly amount tariff');
    await page
      .getByRole('list', { name: 'Articles found' })
      .getByRole('listitem')
      .filter({ hasText: ARTICLE })
      .getByRole('button', { name: 'Insert link' })
      .click();
    await expect.poll(() => reply.inputValue()).toMatch(new RegExp(`\\[${ARTICLE}\\]\\(http://[^)]+/help/articles/`));
    // Sent the way the customer prefers: Anna Becker takes everything by letter.
    expect(await page.getByRole('combobox', { name: 'Send by' }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Send reply' }).click();

    const sent = page.getByRole('listitem', { name: 'Reply by Mara Manager' });
    await sent.waitFor();
    expect(await sent.textContent()).toContain(ARTICLE);
    await sent.getByRole('link', { name: 'a communication' }).waitFor();
    await page
      .getByRole('list', { name: 'Timeline entries' })
      .getByText(/^Complaint #\d+: answered/)
      .waitFor();

    // The worker renders the letter and queues it for printing, on the customer's timeline.
    await vi.waitFor(
      async () => {
        const { entries } = await api<{ entries: { title: string }[] }>('GET', `/api/customers/${customerId}/timeline`);
        if (!entries.some((entry) => entry.title === 'Service desk reply: letter queued for printing'))
          throw new Error(`The reply is not on the timeline yet: ${entries.map((entry) => entry.title).join('; ')}`);
      },
      { ...SLOW, interval: 500 },
    );
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Communications' }).click();
    const outgoing = page.getByRole('table', { name: 'Communications' });
    const row = outgoing.getByRole('row').filter({ hasText: 'Service desk reply' }).filter({ hasText: CUSTOMER });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('Letter');
    await page.goto(new URL(`/tickets/${ticketId}`, page.url()).href);
    await page.getByRole('heading', { level: 1, name: new RegExp(SUBJECT) }).waitFor();
    await page
      .getByRole('list', { name: 'Timeline entries' })
      .getByText('Service desk reply: letter queued for printing')
      .waitFor();
  }, 120_000);

  it('resolves the complaint with the status buttons the ticket allows', async () => {
    const status = page.getByRole('group', { name: 'Status' });
    await status.getByRole('button', { name: 'Resolve' }).click();
    await status.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await status.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await page.locator('.page-header').getByText('Resolved', { exact: true }).waitFor();
    const ticket = await api<{ status: string }>('GET', `/api/tickets/${ticketId}`);
    expect(ticket.status).toBe('resolved');
  });
  it("opens a new complaint from the inbox about one of the customer's communications", async () => {
    await page.getByRole('link', { name: '← Inbox' }).click();
    await page.getByRole('button', { name: 'New ticket', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByRole('searchbox', { name: 'Find a customer' }).fill(CUSTOMER);
    await dialog.getByRole('list', { name: 'Matching customers' }).getByRole('button', { name: CUSTOMER }).click();
    await dialog.getByLabel('Subject').fill('Asks for the letter in large print');
    const about = dialog.getByRole('combobox', { name: 'About the communication' });
    await expect.poll(() => about.isEnabled()).toBe(true);
    // The reply went out as a communication too; the complaint is about the letter.
    await about.selectOption(letterId);
    expect(await about.inputValue()).toBe(letterId);
    await dialog.getByRole('button', { name: 'Open ticket' }).click();
    await page.getByRole('heading', { level: 1, name: /Asks for the letter in large print/ }).waitFor();
    await page
      .getByRole('region', { name: 'The communication it is about' })
      .locator('iframe[title="PDF as sent"]')
      .waitFor();
  });
});

describe('the knowledge base', () => {
  const TITLE = 'Why a tariff letter shows a new monthly amount';
  const FIRST = 'The monthly amount in a tariff change notice is the price from the effective date on.';

  it('writes and publishes an article, saves a second version and restores the first', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Knowledge base' }).click();
    await page.getByRole('heading', { level: 1, name: 'Knowledge base' }).waitFor();
    await page.getByRole('link', { name: 'New article' }).click();
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Text (Markdown)').fill(FIRST);
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const header = page.locator('.page-header');
    await header.getByText('Draft', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await header.getByText('Published', { exact: true }).waitFor();

    await page.getByLabel('Text (Markdown)').fill('Wrong text, saved by mistake.');
    await page.getByLabel('Change note').fill('A mistake');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    const versions = page.getByRole('list', { name: 'Versions' });
    await versions.getByText('Version 2').waitFor();

    await versions
      .getByRole('listitem')
      .filter({ hasText: 'Version 1' })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click();
    await versions.getByText('Version 3', { exact: true }).waitFor();
    expect(await page.getByLabel('Text (Markdown)').inputValue()).toBe(FIRST);
  });

  it('finds the article by its words and marks them in the snippet', async () => {
    await page.getByRole('link', { name: '← Knowledge base' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('effective date');
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('listitem').filter({ hasText: TITLE });
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(['effective', 'date']);
    expect(await hit.locator('.kb-snippet').textContent()).toContain('price from the effective date on');
  });
});
