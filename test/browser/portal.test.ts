import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiCall } from './support/session.js';
import { seriousViolations } from './support/axe.js';
import { demoCustomerId, useBrowserSession } from './support/session.js';

// A demo customer who takes everything by letter and allows marketing email.
const CUSTOMER = 'Anna Becker';
const EMAIL = 'anna.becker@example.com';
const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
const COMPLAINT = 'The amount in this letter is wrong';
const ARTICLE = 'When does my new tariff start';
// Rendering a letter and sending an email are done by the server's job workers on a busy machine.
const SLOW = { timeout: 60_000 };
// The phone the portal is built for first.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const session = useBrowserSession();
let staff: Page;
let api: ApiCall;
let customer: Page;
let customerId: string;
let letterId: string;
let ticketId: string;
let articleSlug: string;

beforeAll(async () => {
  staff = await session.signedIn('manager@tidings.local', 'Mara');
  api = await session.apiOf(staff);
  customerId = await demoCustomerId(api, CUSTOMER);
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
  const article = await api<{ id: string; slug: string }>('POST', '/api/knowledge/articles', {
    title: ARTICLE,
    visibility: 'public',
    body: 'Your new tariff starts on the date your tariff letter names.',
  });
  await api('POST', `/api/knowledge/articles/${article.id}/actions`, { action: 'publish' });
  articleSlug = article.slug;
  customer = await (await session.newContext(PHONE)).newPage();
}, 120_000);

/** Opens a portal page and waits until it has drawn its heading and loaded what it shows. */
async function settled(page: Page, path: string) {
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

/** The sign-in link in the newest sign-in email of the outbox, read as staff read it there. */
async function signInLinkFromOutbox(): Promise<URL> {
  await staff.goto(`${session.baseUrl}/communications/outbox`);
  const messages = staff.getByRole('navigation', { name: 'Outbox messages' });
  const mail = messages.getByRole('link', { name: new RegExp(`${EMAIL}.*Portal sign-in link`) }).first();
  await expect
    .poll(async () => {
      if ((await mail.count()) > 0) return true;
      await staff.getByRole('button', { name: 'Refresh' }).click();
      return false;
    }, SLOW)
    .toBe(true);
  await mail.click();
  await staff.getByRole('group', { name: 'Show the email as' }).getByRole('button', { name: 'Plain text' }).click();
  const text = await staff.getByLabel('Email as plain text').textContent();
  const link = /https?:\/\/\S+\/portal\/sign-in#[\w-]+/.exec(text ?? '')?.[0];
  if (!link) throw new Error(`No sign-in link in the email: ${text}`);
  return new URL(link);
}

// One customer's path through the portal on a phone, and what the staff see of it.
describe('the customer portal on a phone', () => {
  it('signs the customer in through the link in the sign-in email, never saying whether the address is known', async () => {
    await customer.goto(`${session.baseUrl}/portal`);
    await customer.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await customer.getByLabel('Email').fill('nobody@example.com');
    await customer.getByRole('button', { name: 'Send me a sign-in link' }).click();
    const answer = customer.getByRole('region', { name: 'Check your inbox' });
    const saidForUnknown = (await answer.textContent())!.replace('nobody@example.com', EMAIL);
    await answer.getByRole('button', { name: 'Use another address' }).click();
    await customer.getByLabel('Email').fill(EMAIL);
    await customer.getByRole('button', { name: 'Send me a sign-in link' }).click();
    expect(await answer.textContent()).toBe(saidForUnknown);

    const link = await signInLinkFromOutbox();
    // The link names the server's public address; the test server listens on a port of its own.
    await customer.goto(`${session.baseUrl}${link.pathname}${link.hash}`);
    await customer.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor(SLOW);
    expect(new URL(customer.url()).hash).toBe('');
    await customer.getByText(CUSTOMER).first().waitFor();

    // The link works once.
    await customer.goto(`${session.baseUrl}${link.pathname}${link.hash}`);
    await customer.getByRole('alert').filter({ hasText: /link/i }).waitFor();
  });

  it('shows the letter in the page as the PDF that was sent, with a download', async () => {
    await customer.goto(`${session.baseUrl}/portal`);
    const inbox = customer.getByRole('list', { name: 'Inbox' });
    await inbox
      .getByRole('link', { name: /Tariff change notice.*Letter/ })
      .first()
      .click();
    const pdf = customer.locator('iframe[title="Letter as sent"]');
    await pdf.waitFor(SLOW);
    const copyUrl = (await pdf.getAttribute('src'))!;
    expect(copyUrl).toBe(`/api/portal/communications/${letterId}/copy`);
    const copy = await customer.request.get(`${session.baseUrl}${copyUrl}`);
    expect(copy.status()).toBe(200);
    expect(copy.headers()['content-type']).toBe('application/pdf');
    expect((await copy.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await customer.getByRole('link', { name: 'Download the PDF' }).waitFor();
  });

  it('complains about the letter, with a file, from the letter itself', async () => {
    await customer.getByRole('link', { name: 'Complain about this' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Make a complaint' }).waitFor();
    const about = customer.getByRole('combobox', { name: 'What is the complaint about?' });
    await expect.poll(() => about.inputValue()).toBe(letterId);
    await customer.getByRole('textbox', { name: 'Subject' }).fill(COMPLAINT);
    await customer.getByRole('textbox', { name: 'What went wrong?' }).fill('I was promised 39.90 a month, not 42.50.');
    await customer.getByLabel('Attach files').setInputFiles({
      name: 'offer.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Offer: Green Plus at 39.90 a month.\n'),
    });
    await customer.getByRole('list', { name: 'Attached files' }).getByText('offer.txt').waitFor();
    await customer.getByRole('button', { name: 'Send complaint' }).click();

    await customer.getByRole('heading', { level: 1, name: COMPLAINT }).waitFor();
    ticketId = new URL(customer.url()).pathname.split('/').pop()!;
    const conversation = customer.getByRole('list', { name: 'Conversation' });
    expect(await conversation.textContent()).toContain('promised 39.90');
    await conversation.getByRole('link', { name: 'offer.txt' }).waitFor();

    // Writing back adds to the same conversation.
    await customer.getByRole('textbox', { name: 'Your reply' }).fill('The offer was made on the phone in November.');
    await customer.getByRole('button', { name: 'Send reply' }).click();
    await conversation.getByText('The offer was made on the phone in November.').waitFor();

    // The letter now says it was complained about.
    await customer.goto(`${session.baseUrl}/portal/inbox/${letterId}`);
    await customer.getByText('You complained about this').waitFor();
  });

  it('withdraws marketing consent by email in the settings', async () => {
    await customer.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const email = customer
      .getByRole('list', { name: 'Marketing consent' })
      .getByRole('listitem')
      .filter({ hasText: /^Email/ });
    await email.getByText('Allowed', { exact: true }).waitFor();
    await email.getByRole('button', { name: 'Withdraw' }).click();
    await email.getByText('Not allowed', { exact: true }).waitFor();
    await email.getByRole('button', { name: 'Allow' }).waitFor();
  });

  it('shows the staff the complaint linked to that letter and its template version', async () => {
    await staff.goto(`${session.baseUrl}/tickets/${ticketId}`);
    await staff.getByRole('heading', { level: 1, name: new RegExp(COMPLAINT) }).waitFor();
    const concerned = staff.getByRole('region', { name: 'The communication it is about' });
    await concerned.getByText('Tariff change notice · version 1').waitFor();
    expect(await concerned.locator('iframe[title="PDF as sent"]').getAttribute('src')).toBe(
      `/api/communications/${letterId}/copy`,
    );
    const said = staff.getByRole('list', { name: 'Conversation' });
    expect(await said.textContent()).toContain('promised 39.90');
  });

  it('shows the consent change on the customer timeline, made in the portal', async () => {
    await staff.goto(`${session.baseUrl}/customers/${customerId}`);
    const entry = staff
      .getByRole('list', { name: 'Timeline entries' })
      .getByRole('listitem')
      .filter({ hasText: 'Withdrew marketing consent for email' })
      .first();
    await entry.waitFor(SLOW);
    expect(await entry.textContent()).toContain(`portal:${EMAIL}`);
  });

  it('opens an article at its public address and records whether it answered the question', async () => {
    // The article's public address, as a reply links to it, opens in the portal.
    await customer.goto(`${session.baseUrl}/help/articles/${articleSlug}`);
    await customer.getByRole('heading', { level: 1, name: ARTICLE }).waitFor();
    expect(new URL(customer.url()).pathname).toBe(`/portal/help/articles/${articleSlug}`);
    const feedback = customer.getByRole('group', { name: 'Did this answer your question?' });
    await feedback.getByRole('button', { name: 'No' }).click();
    await customer.getByText('Thank you, we will improve it.').waitFor();
  });

  it('opens a request from an article that did not answer the question', async () => {
    await customer.goto(`${session.baseUrl}/portal/help`);
    await customer.getByRole('searchbox', { name: 'Search the help centre' }).fill('tariff start');
    await customer
      .getByRole('list', { name: 'Articles' })
      .getByRole('link', { name: new RegExp(ARTICLE) })
      .click();
    await customer.getByRole('heading', { level: 1, name: ARTICLE }).waitFor();
    await customer.getByRole('link', { name: 'Open a request' }).click();
    await customer.getByRole('heading', { level: 1, name: 'New request' }).waitFor();
    expect(new URL(customer.url()).searchParams.get('articleSlug')).toBe(articleSlug);
    await customer.getByRole('textbox', { name: 'Subject' }).fill('When exactly does Green Plus start?');
    await customer.getByRole('textbox', { name: 'Your message' }).fill('The article does not say which day.');
    await customer.getByRole('button', { name: 'Send request' }).click();
    await customer.getByRole('heading', { level: 1, name: 'When exactly does Green Plus start?' }).waitFor();

    await customer.getByRole('link', { name: 'All requests' }).click();
    const requests = customer.getByRole('list', { name: 'Requests' });
    await requests
      .getByRole('link', { name: /When exactly does Green Plus start\?.*Request #\d+.*Received/ })
      .waitFor();
    await requests.getByRole('link', { name: new RegExp(`${COMPLAINT}.*Complaint #\\d+`) }).waitFor();
  });

  it(
    'has no serious or critical accessibility violations on any portal page, and titles in the brand',
    { timeout: 300_000 },
    async () => {
      const findings: Record<string, string[]> = {};
      const titles: Record<string, string> = {};
      const check = async (path: string) => {
        await settled(customer, path);
        const found = await seriousViolations(customer);
        if (found.length) findings[path] = found;
        titles[path] = await customer.title();
      };
      for (const path of [
        '/portal',
        `/portal/inbox/${letterId}`,
        '/portal/requests',
        `/portal/requests/${ticketId}`,
        `/portal/requests/new?kind=complaint&communicationId=${letterId}`,
        '/portal/settings',
        '/portal/help',
        `/portal/help/articles/${articleSlug}`,
        '/portal/no-such-page',
      ])
        await check(path);
      const signedOut = await (await session.newContext(PHONE)).newPage();
      for (const path of ['/portal/sign-in', '/portal/help', '/portal/unsubscribe#not-a-token']) {
        await settled(signedOut, path);
        const found = await seriousViolations(signedOut);
        if (found.length) findings[`signed out ${path}`] = found;
        titles[`signed out ${path}`] = await signedOut.title();
      }
      expect(findings).toEqual({});
      const { companyName } = (await (await customer.request.get(`${session.baseUrl}/api/portal/brand`)).json()) as {
        companyName: string;
      };
      const unbranded = Object.entries(titles).filter(([, title]) => !title.endsWith(` · ${companyName}`));
      expect(unbranded).toEqual([]);
    },
  );

  it('unsubscribes from a marketing email by its link, without signing in', async () => {
    // A demo customer's marketing email, as it was sent: the one with an unsubscribe link.
    const emilyId = await demoCustomerId(api, 'Emily Clarke');
    const { communications } = await api<{ communications: { id: string; channel: string | null }[] }>(
      'GET',
      `/api/communications?customerId=${emilyId}`,
    );
    let token: string | undefined;
    for (const sent of communications.filter((communication) => communication.channel === 'email')) {
      const raw = await (await staff.request.get(`${session.baseUrl}/api/communications/${sent.id}/copy`)).text();
      // Quoted-printable: soft line breaks joined, "=3D" back to "=".
      token ??= /\/portal\/unsubscribe#([\w-]+)/.exec(raw.replace(/=\r?\n/g, '').replaceAll('=3D', '='))?.[1];
    }
    expect(token).toBeTruthy();

    const visitor = await (await session.newContext(PHONE)).newPage();
    await visitor.goto(`${session.baseUrl}/portal/unsubscribe#${token}`);
    await visitor.getByText('Stop sending marketing by email to Emily Clarke?').waitFor(SLOW);
    expect(new URL(visitor.url()).hash).toBe('');
    await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
    await visitor.getByText(/^Done: Emily Clarke receives no more marketing by email/).waitFor();
  });

  it('signs the customer out', async () => {
    await customer.getByRole('button', { name: 'Sign out' }).click();
    await customer.getByText('You are signed out.').waitFor();
    await customer.goto(`${session.baseUrl}/portal/settings`);
    await customer.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});
