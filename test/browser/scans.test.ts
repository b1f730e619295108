import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { letterPage, scannedReply } from '../scans/paper.js';
import type { ApiCall } from './support/session.js';
import { demoCustomerId, useBrowserSession } from './support/session.js';

// The demo's published tariff notice and the data it declares as required.
const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
// A demo customer who takes everything by letter.
const CUSTOMER = 'Anna Becker';
// Delivery, and then reading the scan, are the server's job workers' work on a busy two-core machine.
const SLOW = { timeout: 90_000, interval: 500 };

const session = useBrowserSession();
let page: Page;
let api: ApiCall;
let reply: Buffer;

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
  api = await session.apiOf(page);
  const customerId = await demoCustomerId(api, CUSTOMER);
  const letterId = (
    await api<{ id: string }>('POST', '/api/communications', {
      template: 'tariff-change',
      customerId,
      data: TARIFF_DATA,
    })
  ).id;
  await vi.waitFor(async () => {
    const letter = await api<{ archiveMediaType: string | null }>('GET', `/api/communications/${letterId}`);
    if (letter.archiveMediaType !== 'application/pdf') throw new Error('The letter is not archived yet');
  }, SLOW);
  // The letter as printed, answered in pen and scanned a little askew.
  const copy = await page.request.get(`${session.baseUrl}/api/communications/${letterId}/copy`);
  reply = await scannedReply(await letterPage(await copy.body()), {
    skewDegrees: 1,
    handwriting: 'I never agreed to Green Plus.',
    format: 'jpeg',
  });
}, 150_000);

describe('scanned mail', () => {
  it('uploads a scanned reply and shows it filed on the customer with its ticket', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Scanned mail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Scanned mail' }).waitFor();

    await page.getByRole('button', { name: 'Upload scan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Scan').setInputFiles({ name: 'reply-anna.jpg', mimeType: 'image/jpeg', buffer: reply });
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /reply-anna\.jpg/ });
    await row.getByText('Filed', { exact: true }).waitFor({ timeout: SLOW.timeout });
    expect(await row.getByText('QR code', { exact: true }).count()).toBe(1);
    await row.getByRole('link', { name: CUSTOMER }).waitFor();

    await row.getByRole('link', { name: /^#\d+$/ }).click();
    await page.getByRole('heading', { level: 1, name: /Scanned reply to/ }).waitFor();
  });
});
