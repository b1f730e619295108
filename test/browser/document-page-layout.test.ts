import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useBrowserSession } from './support/session.js';

const session = useBrowserSession();
let page: Page;
let documentPath: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

beforeAll(async () => {
  page = await session.signedIn('admin@tidings.local', 'Ada');
  const api = await session.apiOf(page);
  const id = await session.uploadPdf(page, {
    folder: 'Layout',
    title: 'Window cleaning rota',
    fileName: 'rota.pdf',
    bytes: PDF,
  });
  documentPath = `/documents/${id}`;
  // The text section changes when extraction ends, which is news, not loading: it ends before the page opens.
  await vi.waitFor(
    async () => {
      const text = await api<{ status: string }>('GET', `/api/documents/${id}/text?version=1.0`);
      if (text.status === 'pending') throw new Error('The text is still being extracted.');
    },
    { timeout: 60_000, interval: 500 },
  );
}, 120_000);

/**
 * Notes, on every frame from its first appearance, where the Review section's top is on the page:
 * it sits below the preview and the side column, so any section above it that grows moves it.
 */
function watchReview() {
  if (window !== window.top) return;
  const tops: number[] = [];
  Object.assign(window, { reviewTops: tops });
  const frame = () => {
    const review = document.getElementById('document-review')?.closest('section');
    if (review) {
      const top = review.getBoundingClientRect().top + window.scrollY;
      if (tops.at(-1) !== top) tops.push(top);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * Less than a section's card and heading (about 90 px with the gap) and more than a placeholder and
 * its answer differ by (about 25 px): a section that appeared from nothing would move the Review
 * section further, one that loads in place of its placeholder does not.
 */
const MOVED_AT_MOST = 48;

describe('the document page while its sections load', () => {
  it('keeps the Review section about where it first appeared', async () => {
    await page.addInitScript(watchReview);
    await page.goto(`${session.baseUrl}${documentPath}`);
    const review = page.getByRole('region', { name: 'Review', exact: true });
    await review.getByRole('button', { name: 'Submit for review' }).waitFor();
    await page.getByRole('region', { name: 'Record and holds' }).getByText('Legal holds').waitFor();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Loading/ })
          .count(),
      )
      .toBe(0);
    // Two frames more, so the last layout has been noted.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const tops = await page.evaluate(() => (window as unknown as { reviewTops: number[] }).reviewTops);
    const first = tops[0]!;
    expect(Math.max(...tops.map((top) => Math.abs(top - first))), `Review's tops: ${tops.join(', ')}`).toBeLessThan(
      MOVED_AT_MOST,
    );
  });
});

/** Counts the times a frame took the keyboard focus from a modal dialog. */
function countFocusTaken() {
  if (window !== window.top) return;
  const taken = { count: 0 };
  Object.assign(window, { focusTaken: taken });
  window.addEventListener('blur', () => {
    if (document.activeElement instanceof HTMLIFrameElement && document.querySelector('dialog:modal')) taken.count++;
  });
}

describe('the PDF preview', () => {
  it('leaves the keyboard with an open dialog once it has loaded', async () => {
    const context = await session.newContext();
    const other = await context.newPage();
    await session.signInAs(other, 'admin@tidings.local', 'Ada');
    await other.addInitScript(countFocusTaken);
    // The PDF is held back until the dialog is open, so the viewer loads (and takes the focus) behind it.
    let release = () => {};
    const opened = new Promise<void>((resolve) => (release = resolve));
    await other.route(/\/content/, async (route) => {
      await opened;
      await route.continue();
    });
    await other.goto(`${session.baseUrl}${documentPath}`, { waitUntil: 'domcontentloaded' });
    await other.getByRole('button', { name: 'Edit details' }).click();
    const title = other.getByRole('dialog').getByLabel('Title');
    await title.focus();
    release();
    await expect
      .poll(() => other.evaluate(() => (window as unknown as { focusTaken: { count: number } }).focusTaken.count), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect.poll(() => other.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await other.keyboard.type(' (draft)');
    expect(await title.inputValue()).toBe('Window cleaning rota (draft)');
  });
});
