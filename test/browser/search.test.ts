import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

const session = useBrowserSession();
let page: Page;

beforeAll(async () => {
  page = await session.signedIn('manager@tidings.local', 'Mara');
  const api = await session.apiOf(page);
  await api('POST', '/api/document-folders', { name: 'Field reports', parentId: null });
}, 120_000);

const dialog = () => page.getByRole('dialog');

describe('searching the text of documents', () => {
  it('uploads a file, waits for its text, finds it by a word only its text holds, and shows the snippet', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Documents' }).click();
    await page
      .getByRole('navigation', { name: 'Folders' })
      .getByRole('link', { name: /Field reports/ })
      .click();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog()
      .getByLabel('File')
      .setInputFiles({
        name: 'inspection.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Inspection of substation 7.\nThe transformer hums like a kookaburra at dawn.\n'),
      });
    await dialog().getByLabel('Title').fill('Substation inspection');
    await dialog().getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Substation inspection' }).waitFor();

    // The document page says when its text is ready for search.
    const text = page.getByRole('region', { name: 'Text for search' });
    await text.getByText(/characters read from the file/).waitFor();

    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Documents' }).click();
    await page
      .getByRole('search', { name: 'Search the text of documents' })
      .getByLabel('Search words')
      .fill('kookaburra');
    await page
      .getByRole('search', { name: 'Search the text of documents' })
      .getByRole('button', { name: 'Search' })
      .click();

    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    const results = page.getByRole('region', { name: 'Results' });
    const hit = results.getByRole('listitem').filter({ hasText: 'Substation inspection' });
    await hit.waitFor();
    expect(await results.getByRole('listitem').count()).toBe(1);
    expect(await hit.locator('mark').allTextContents()).toEqual(['kookaburra']);
    expect(await hit.textContent()).toContain('The transformer hums like a kookaburra at dawn');

    // Facets count what was found; the folder is one of them.
    const facets = page.getByRole('complementary', { name: 'Narrow the results' });
    await facets.getByRole('checkbox', { name: /Field reports/ }).waitFor();
    expect(await facets.getByRole('group', { name: 'Folder' }).textContent()).toMatch(/Field reports\s*1/);

    await hit.getByRole('link', { name: 'Substation inspection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Substation inspection' }).waitFor();
  });
});
