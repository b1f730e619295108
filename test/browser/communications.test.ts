import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

// The demo's published tariff notice and the data it declares as required.
const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
// Four organizations that work by fax and have no quiet hours, so the run finishes at any time of day.
const SEGMENT = 'Fax-first small businesses';
// Rendering and handing over is done by the server's job workers on a busy two-core machine.
const RUN_FINISHES = { timeout: 60_000 };
const SLOW = { timeout: 30_000 };

const session = useBrowserSession();
let page: Page;
let runUrl: string;
/** The email sent from the customer's page. */
let sentId: string;

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
});

/** The number shown for a label in one of the run's count lists. */
const count = (list: string, label: string) => page.locator(`dl[aria-label="${list}"] dt:text-is("${label}") + dd`);
/** What the run's facts show for a label. */
const fact = (label: string) => page.locator(`dl[aria-label="Batch run"] dt:text-is("${label}") + dd`);

// One manager's path: each step starts where the previous one left off.
describe('communications', () => {
  it(
    'starts a batch run of the tariff notice over a segment and follows it live to completion',
    { timeout: 120_000 },
    async () => {
      await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Communications' }).click();
      await page
        .getByRole('navigation', { name: 'Communication sections' })
        .getByRole('link', { name: 'Batch runs' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Batch runs' }).waitFor();
      await page.getByRole('link', { name: 'New batch run' }).click();

      await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Tariff change notice (v1)' });
      await page.getByLabel('Segment', { exact: true }).selectOption({ label: SEGMENT });
      // The form counts the segment and names the data the template needs.
      await page.getByText('4 customers in it now', { exact: false }).waitFor();
      await page.getByText(/The template uses tariff \(required\), effective \(required\)/).waitFor();
      await page.getByLabel('Data (JSON)').fill(JSON.stringify(TARIFF_DATA));
      // The run page follows the run through its server-sent events.
      const events = page.waitForRequest((request) => request.url().endsWith('/events'), SLOW);
      await page.getByRole('button', { name: 'Start batch run' }).click();

      const progress = page.getByRole('progressbar', { name: 'Batch run progress' });
      await progress.waitFor();
      await events;
      await expect.poll(() => progress.getAttribute('aria-valuenow'), RUN_FINISHES).toBe('100');
      await expect.poll(() => progress.getAttribute('aria-valuetext'), SLOW).toBe('Completed: 4 of 4 done');
      runUrl = page.url();
      expect(new URL(runUrl).pathname).toMatch(/^\/communications\/runs\/[0-9a-f-]{36}$/);

      await expect.poll(() => count('Communications by status', 'Sent').textContent()).toBe('4');
      expect(await count('Communications by status', 'Failed').textContent()).toBe('0');
      expect(await count('Communications by channel', 'Fax').textContent()).toBe('4');
      await page.getByRole('status').filter({ hasText: 'Final' }).waitFor();
      // Four faxes at the default fax rate of 5 cents each, in the brand kit's currency (EUR).
      await expect.poll(() => fact('Cost so far').textContent()).toBe('€0.20');
      // A finished run offers nothing to pause, resume or cancel.
      expect(await page.getByRole('button', { name: /Pause|Resume|Cancel run/ }).count()).toBe(0);
    },
  );

  it("lists the run's communications and shows one with its channel, attempts and proof", async () => {
    await page.getByRole('link', { name: 'Show its communications' }).click();
    const table = page.getByRole('table', { name: 'Communications' });
    await expect.poll(() => table.getByRole('row').count()).toBe(5);
    expect(new URL(page.url()).searchParams.get('batchRunId')).toBe(runUrl.split('/').pop());
    expect(await page.getByRole('combobox', { name: 'Batch run' }).inputValue()).toBe(runUrl.split('/').pop());

    const row = table.getByRole('row', { name: /Bäckerei Krause GmbH/ });
    expect(await row.textContent()).toMatch(/Fax.*\+49\s?30\s?5550200.*Sent/);
    await row.getByRole('link', { name: 'Tariff change notice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tariff change notice to Bäckerei Krause GmbH' }).waitFor();

    const channel = page.getByRole('region', { name: 'Channel and why' });
    await channel.getByText('first preference').waitFor();
    expect(await channel.textContent()).toContain('Fax');

    const attempts = page.getByRole('table', { name: 'Attempts' });
    const handedOver = attempts.getByRole('row', { name: /Handed over/ });
    await handedOver.waitFor();
    expect(await handedOver.textContent()).toMatch(/Fax.*Handed over.*Handed to simulated/);

    const id = new URL(page.url()).pathname.split('/').pop();
    const proof = page.getByRole('link', { name: 'Download proof (ZIP)' });
    expect(await proof.getAttribute('href')).toBe(`/api/communications/${id}/proof.zip`);
    const [download] = await Promise.all([page.waitForEvent('download'), proof.click()]);
    expect(download.suggestedFilename()).toBe(`communication-${id}-proof.zip`);
    expect(await download.failure()).toBeNull();
  });

  it("sends the tariff notice from a customer's page and links it from their timeline", async () => {
    // The fax run sent no email; a single send to Autohaus Braun does.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('Autohaus Braun');
    await page.getByRole('link', { name: 'Autohaus Braun' }).click();
    await page.getByRole('heading', { level: 1, name: 'Autohaus Braun' }).waitFor();

    await page.getByRole('button', { name: 'Send a communication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a communication to Autohaus Braun' });
    await dialog.getByLabel('Template', { exact: true }).selectOption({ label: 'Tariff change notice (v1)' });
    // The data starts as the published version's sample data.
    const data = dialog.getByLabel('Data (JSON)');
    await expect.poll(async () => JSON.parse((await data.inputValue()) || 'null') as unknown).toEqual(TARIFF_DATA);

    // Data the template refuses is explained next to the field; nothing is sent.
    await data.fill(JSON.stringify({ ...TARIFF_DATA, tariff: undefined }));
    const refused = page.waitForResponse(
      (response) => response.url().endsWith('/api/communications') && response.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    expect((await refused).status()).toBe(400);
    await dialog.getByText('“tariff” is required by the template').waitFor();

    // The retry carries the same Idempotency-Key as the refused attempt: one dialog, at most one communication.
    await data.fill(JSON.stringify(TARIFF_DATA, null, 2));
    const accepted = page.waitForRequest(
      (request) => request.url().endsWith('/api/communications') && request.method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    const key = (await accepted).headers()['idempotency-key'];
    expect(key).toBe((await refused).request().headers()['idempotency-key']);
    expect(key).toMatch(/^[0-9a-f-]{32,36}$/);

    await page.getByRole('heading', { level: 1, name: 'Tariff change notice to Autohaus Braun' }).waitFor();
    sentId = new URL(page.url()).pathname.split('/').pop()!;
    expect(sentId).toMatch(/^[0-9a-f-]{36}$/);
    // The communication page follows it until the delivery job has handed it over.
    await page
      .getByRole('table', { name: 'Attempts' })
      .getByRole('row', { name: /Handed over/ })
      .waitFor(SLOW);
    await expect.poll(() => page.getByRole('region', { name: 'Channel and why' }).textContent()).toContain('€0.001');

    // The customer's timeline records the hand-over and links back to the communication.
    await page.getByRole('region', { name: 'Summary' }).getByRole('link', { name: 'Autohaus Braun' }).click();
    const entry = page
      .getByRole('list', { name: 'Timeline entries' })
      .getByRole('link', { name: 'Tariff change notice sent by email' });
    await entry.waitFor();
    expect(await entry.getAttribute('href')).toBe(`/communications/${sentId}`);
    await entry.click();
    await page.getByRole('heading', { level: 1, name: 'Tariff change notice to Autohaus Braun' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/communications/${sentId}`);
  });

  it('keeps email in the outbox and shows it as the recipient would see it', async () => {
    await page
      .getByRole('navigation', { name: 'Communication sections' })
      .getByRole('link', { name: 'Outbox' })
      .click();
    await page
      .getByRole('navigation', { name: 'Outbox messages' })
      .getByRole('link', { name: /info@autohaus-braun\.example/ })
      .click();
    const headers = page
      .getByRole('definition')
      .filter({ hasText: 'Your tariff Green Plus changes on January 1, 2027' });
    await headers.waitFor();
    expect(await page.locator('dl[aria-label="Email headers"]').textContent()).toContain('info@autohaus-braun.example');
    await page
      .frameLocator('iframe[title="Email as sent"]')
      .locator('p', { hasText: 'Dear Autohaus Braun,' })
      .waitFor();

    await page.getByRole('button', { name: 'Source (.eml)' }).click();
    expect(await page.getByLabel('Email source').textContent()).toContain(`Message-ID: <${sentId}@`);
    expect(await page.getByRole('link', { name: 'Download the exact copy (.eml)' }).getAttribute('href')).toBe(
      `/api/communications/${sentId}/copy`,
    );
  });

  it('shows a viewer the run but no controls to start, pause or cancel runs', async () => {
    const viewer = await session.signedIn('viewer@tidings.local', 'Victor');
    await viewer.goto(runUrl);
    await viewer.getByRole('progressbar', { name: 'Batch run progress' }).waitFor();
    expect(await viewer.getByRole('progressbar', { name: 'Batch run progress' }).getAttribute('aria-valuenow')).toBe(
      '100',
    );
    await viewer
      .getByRole('navigation', { name: 'Communication sections' })
      .getByRole('link', { name: 'Batch runs' })
      .click();
    await viewer.getByRole('table', { name: 'Batch runs' }).waitFor();
    expect(await viewer.getByRole('link', { name: 'New batch run' }).count()).toBe(0);
  });

  it('follows an unfinished run on the batch run list through its event stream', async () => {
    await page.goto(`${session.baseUrl}/communications/runs/new`);
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Tariff change notice (v1)' });
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: SEGMENT });
    await page.getByLabel('Data (JSON)').fill(JSON.stringify(TARIFF_DATA));
    await page.getByLabel('Start at').fill('2099-01-01T09:00');
    await page.getByRole('button', { name: 'Schedule batch run' }).click();
    await page.getByRole('progressbar', { name: 'Batch run progress' }).waitFor();
    const scheduledId = new URL(page.url()).pathname.split('/').pop()!;

    // The list asks the scheduled run's stream for its progress, where it used to poll.
    const stream = page.waitForRequest((request) => request.url().endsWith(`/api/batch-runs/${scheduledId}/events`));
    await page
      .getByRole('navigation', { name: 'Communication sections' })
      .getByRole('link', { name: 'Batch runs' })
      .click();
    await stream;
    const row = page.getByRole('table', { name: 'Batch runs' }).getByRole('row').filter({ hasText: 'Scheduled for' });
    expect(await row.textContent()).toContain('Scheduled');

    await page.goto(`${session.baseUrl}/communications/runs/${scheduledId}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('button', { name: 'Cancel the run' }).click();
    await page.getByRole('status').filter({ hasText: 'Final' }).waitFor();
  });

  it('lets a manager change the SMS rate, and shows a viewer the rates without a way to change them', async () => {
    await page.getByRole('navigation', { name: 'Communication sections' }).getByRole('link', { name: 'Rates' }).click();
    const sms = page.getByRole('table', { name: 'Channel rates' }).getByRole('row').filter({ hasText: 'SMS' });
    await expect.poll(() => sms.textContent()).toMatch(/€0\.07 per item.*default/);

    await sms.getByRole('button', { name: 'Change the SMS rate' }).click();
    await sms.getByLabel('SMS cost in EUR per item').fill('0.085');
    await sms.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'SMS now costs €0.085 per item.' }).waitFor();
    // Saved on the server: after a reload the rate is no longer the default.
    await page.reload();
    await expect.poll(() => sms.textContent()).toContain('€0.085 per item');
    expect(await sms.textContent()).not.toContain('default');

    const viewer = await session.signedIn('viewer@tidings.local', 'Victor');
    await viewer.goto(`${session.baseUrl}/communications/rates`);
    const viewerSms = viewer.getByRole('table', { name: 'Channel rates' }).getByRole('row').filter({ hasText: 'SMS' });
    await expect.poll(() => viewerSms.textContent()).toContain('€0.085 per item');
    expect(await viewer.getByRole('button', { name: /^Change the .* rate$/ }).count()).toBe(0);
    expect(await viewer.getByRole('spinbutton').count()).toBe(0);
  });

  it('keeps a letter awaiting print, lists the letters waiting, and sends them with the next print batch', async () => {
    // Hannah Fischer takes letters only.
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('Hannah Fischer');
    await page.getByRole('link', { name: 'Hannah Fischer' }).click();
    await page.getByRole('button', { name: 'Send a communication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a communication to Hannah Fischer' });
    await dialog.getByLabel('Template', { exact: true }).selectOption({ label: 'Tariff change notice (v1)' });
    const data = dialog.getByLabel('Data (JSON)');
    await expect.poll(async () => JSON.parse((await data.inputValue()) || 'null') as unknown).toEqual(TARIFF_DATA);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tariff change notice to Hannah Fischer' }).waitFor();

    // The page follows the letter until it is in the print queue.
    const waiting = page.getByRole('region', { name: 'Channel and why' }).getByRole('link', {
      name: 'Waits for the next print batch',
    });
    await waiting.waitFor(SLOW);
    expect(await page.getByRole('region', { name: 'Summary' }).textContent()).toContain('Awaiting print');

    await waiting.click();
    await page.getByRole('heading', { level: 1, name: 'Print batches' }).waitFor();
    await page.getByRole('link', { name: /^\d+ letters? waits? for the next print batch$/ }).click();
    expect(new URL(page.url()).searchParams.get('status')).toBe('awaiting_print');
    const row = page.getByRole('table', { name: 'Communications' }).getByRole('row', { name: /Hannah Fischer/ });
    await expect.poll(() => row.textContent()).toMatch(/Letter.*Awaiting print/);

    await page
      .getByRole('navigation', { name: 'Communication sections' })
      .getByRole('link', { name: 'Print batches' })
      .click();
    await page.getByRole('button', { name: 'Make a print batch now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Made a print batch of \d+ letters?/ })
      .waitFor(SLOW);
    await page.getByText('No letters wait for print.').waitFor();
  });
});
