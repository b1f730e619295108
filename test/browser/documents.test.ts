import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

/** A one-page PDF saying `text`, with a correct cross-reference table. */
function pdfSaying(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const FIRST = pdfSaying('Supply contract, draft');
const SIGNED = pdfSaying('Supply contract, signed by both parties');
const TITLE = 'Supply contract';

const session = useBrowserSession();
let page: Page;
let documentId: string;

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
}, 120_000);

const dialog = () => page.getByRole('dialog');
const versions = () => page.getByRole('table', { name: 'Versions' });

// One person's path through a contract: each step starts where the previous one left off.
describe('the document repository', () => {
  it('makes a folder and uploads a PDF into it, shown inline as its first version', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();

    await page.getByRole('button', { name: 'New folder' }).click();
    await dialog().getByLabel('Name').fill('Contracts');
    await dialog().getByRole('button', { name: 'Create folder' }).click();
    const folders = page.getByRole('navigation', { name: 'Folders' });
    await folders.locator('[aria-current="page"]', { hasText: 'Contracts' }).waitFor();

    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    expect(await dialog().getByRole('combobox', { name: 'Folder' }).inputValue()).not.toBe('');
    await dialog()
      .getByLabel('File')
      .setInputFiles({ name: 'supply-contract.pdf', mimeType: 'application/pdf', buffer: FIRST });
    await dialog().getByLabel('Title').fill(TITLE);
    await dialog().getByRole('button', { name: 'Upload', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    documentId = new URL(page.url()).pathname.split('/').pop()!;
    const preview = page.locator(`iframe[title="Preview of ${TITLE}"]`);
    expect(await preview.getAttribute('src')).toBe(`/api/documents/${documentId}/content?version=1.0`);
    expect(await versions().getByRole('row').count()).toBe(2);
    await versions().getByRole('row', { name: /^1\.0/ }).waitFor();
  });

  it('checks the document out, showing who holds it', async () => {
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByText(/^Checked out by Mara .* since /).waitFor();
    expect(await page.getByRole('button', { name: 'Check out' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Upload new version' }).count()).toBe(0);
  });

  it('checks in a new file as version 1.1, releasing the lock', async () => {
    await page.getByRole('button', { name: 'Check in' }).click();
    await dialog()
      .getByLabel('File')
      .setInputFiles({ name: 'supply-contract-signed.pdf', mimeType: 'application/pdf', buffer: SIGNED });
    await dialog().getByLabel('What changed').fill('Signed by both parties');
    await dialog().getByRole('button', { name: 'Check in' }).click();

    const signed = versions().getByRole('row', { name: /^1\.1/ });
    await signed.waitFor();
    expect(await signed.textContent()).toContain('Signed by both parties');
    expect(await signed.textContent()).toContain('supply-contract-signed.pdf');
    await page.getByText('Version 1.1 · supply-contract-signed.pdf').waitFor();
    await page.getByRole('button', { name: 'Check out' }).waitFor();
    expect(await page.getByText(/^Checked out by/).count()).toBe(0);
    expect(await page.locator(`iframe[title="Preview of ${TITLE}"]`).getAttribute('src')).toBe(
      `/api/documents/${documentId}/content?version=1.1`,
    );
  });

  it('downloads the first version with its own bytes and name', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      versions().getByRole('link', { name: 'Download version 1.0' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('supply-contract.pdf');
    expect(Buffer.compare(await readFile((await download.path())!), FIRST)).toBe(0);
  });

  it('lists the document in its folder at its new version', async () => {
    await page.getByRole('region', { name: 'Details' }).getByRole('link', { name: 'Contracts' }).click();
    await page
      .getByRole('navigation', { name: 'Folders' })
      .locator('[aria-current="page"]', { hasText: 'Contracts' })
      .waitFor();
    // The list may first show what it read before the new version, then refreshes to it.
    await page
      .getByRole('table', { name: 'Documents' })
      .getByRole('row', { name: new RegExp(TITLE) })
      .filter({ hasText: '1.1' })
      .waitFor();
  });

  it("lets an admin grant a role write on the document, shown as the document's own grant", async () => {
    const admin = await session.signedIn('admin@tidings.local', 'Ada');
    await admin.goto(`${session.baseUrl}/documents/${documentId}`);
    await admin.getByRole('button', { name: 'Permissions' }).click();
    const permissions = admin.getByRole('dialog');
    await permissions.getByText('roles alone decide').waitFor();
    await permissions.getByRole('combobox', { name: 'Who' }).selectOption('role:manager');
    await permissions.getByRole('combobox', { name: 'Access' }).selectOption('write');
    await permissions.getByRole('button', { name: 'Add grant' }).click();
    const own = permissions.getByRole('list', { name: 'Own grants' });
    await own.getByRole('button', { name: 'Remove manager' }).waitFor();
    expect(await own.textContent()).toContain('Write');
  });
});
