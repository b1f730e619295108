import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useBrowserSession } from './support/session.js';

const session = useBrowserSession();
let page: Page;
let documentId: string;
let holdPath: string;
const MATTER = 'Meyer v. Tidings';

beforeAll(async () => {
  page = await session.signedIn('records@tidings.local', 'Rosa');
  documentId = await session.uploadPdf(page, {
    folder: 'Disputes',
    title: 'Meyer service contract',
    fileName: 'meyer.pdf',
    bytes: Buffer.from('%PDF-1.4\n% Meyer contract\n'),
  });
}, 120_000);

const dialog = () => page.getByRole('dialog');

describe('a legal hold on a document', () => {
  it('is placed from the Records area, naming the document in its scope', async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Records' }).click();
    await page.getByRole('heading', { level: 1, name: 'Legal holds' }).waitFor();
    await page.getByRole('button', { name: 'Place hold' }).click();
    await dialog().getByLabel('Matter').fill(MATTER);
    await dialog().getByLabel('Kind').selectOption('document');
    await dialog().getByLabel('Id').fill(documentId);
    await dialog().getByRole('button', { name: 'Add to scope' }).click();
    await dialog().getByText(documentId).waitFor();
    await dialog().getByRole('button', { name: 'Place hold' }).click();

    await page.getByRole('heading', { level: 1, name: MATTER }).waitFor();
    holdPath = new URL(page.url()).pathname;
    await page
      .getByRole('table', { name: 'Scope' })
      .getByRole('link', { name: /Meyer service contract/ })
      .waitFor();
  });

  it('shows on the document page, and delete is refused naming the matter', async () => {
    await page
      .getByRole('table', { name: 'Scope' })
      .getByRole('link', { name: /Meyer service contract/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Meyer service contract' }).waitFor();
    const section = page.getByRole('region', { name: 'Record and holds' });
    await section.getByRole('link', { name: MATTER }).waitFor();

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await dialog().getByText(`under legal hold for the matter "${MATTER}"`, { exact: false }).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('heading', { level: 1, name: 'Meyer service contract' }).count()).toBe(1);
  });
});

describe('the Records area', () => {
  it('has no serious accessibility problems on its pages', async () => {
    const findings: Record<string, string[]> = {};
    for (const [path, heading] of [
      ['/records', 'Legal holds'],
      ['/records/categories', 'Record categories'],
      ['/records/disposition', 'Disposition'],
      [holdPath, MATTER],
      [`/documents/${documentId}`, 'Meyer service contract'],
    ] as const) {
      await page.goto(`${session.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      const violations = await seriousViolations(page);
      if (violations.length) findings[path] = violations;
    }
    expect(findings).toEqual({});
  });
});
