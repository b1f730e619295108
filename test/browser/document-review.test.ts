import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useBrowserSession } from './support/session.js';

const session = useBrowserSession();
let ada: Page;
let rita: Page;
let documentUrl: string;

const TITLE = 'Cleaning services agreement';
const COMMENT = 'The termination clause is fine';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

beforeAll(async () => {
  ada = await session.signedIn('admin@tidings.local', 'Ada');
  const api = await session.apiOf(ada);
  // The folder is where the document goes, not what this file is about.
  await api('POST', '/api/document-folders', { name: 'Agreements', parentId: null });
}, 120_000);

const dialog = (page: Page) => page.getByRole('dialog');
// Exact: a role's name otherwise matches as a substring, and the Preview section's name contains "review".
const reviewSection = (page: Page) => page.getByRole('region', { name: 'Review', exact: true });

/**
 * Activates a button of the document page where it is. The page's sections load at their own pace
 * and push the Review section down: a mouse click whose press and release straddle such a shift
 * lands beside the button, while Playwright, which checks only where the press lands, reports it
 * done. (Enter is no way out: Chromium's PDF viewer takes the keyboard focus once it has loaded.)
 */
const activate = (button: Locator) => button.dispatchEvent('click');

// An admin defines a Contract type, files a contract with its metadata and asks Rita to review it;
// Rita approves from her list of reviews, and the admin publishes the approved version.
describe('a typed document through review', () => {
  it('defines the Contract type with its fields', async () => {
    await ada.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Documents' }).click();
    await ada
      .getByRole('navigation', { name: 'Document sections' })
      .getByRole('link', { name: 'Document types' })
      .click();
    await ada.getByRole('heading', { level: 1, name: 'Document types' }).waitFor();
    await ada.getByRole('button', { name: 'New type' }).click();
    await dialog(ada).getByLabel('Name').fill('Contract');
    const field = (n: number) => dialog(ada).getByRole('group', { name: `Field ${n}` });
    await field(1).getByLabel('Label').fill('Counterparty');
    await field(1).getByLabel('Required').check();
    await dialog(ada).getByRole('button', { name: 'Add field' }).click();
    await field(2).getByLabel('Label').fill('End');
    await field(2).getByLabel('Kind').selectOption('date');
    await dialog(ada).getByRole('button', { name: 'Add field' }).click();
    await field(3).getByLabel('Label').fill('Renewal');
    await field(3).getByLabel('Kind').selectOption('choice');
    await field(3).getByLabel('Choices').fill('automatic, manual');
    await dialog(ada).getByRole('button', { name: 'Create type' }).click();

    const row = ada.getByRole('table', { name: 'Document types' }).getByRole('row', { name: /Contract/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Counterparty (text, required)');
    expect(await row.textContent()).toContain('Renewal (choice)');
    expect(await seriousViolations(ada)).toEqual([]);
  });

  it('uploads a contract with its metadata, shown on its page', async () => {
    await ada.getByRole('navigation', { name: 'Document sections' }).getByRole('link', { name: 'Documents' }).click();
    await ada.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
    await ada.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog(ada).getByRole('combobox', { name: 'Folder' }).selectOption({ label: 'Agreements' });
    await dialog(ada)
      .getByLabel('File')
      .setInputFiles({ name: 'cleaning.pdf', mimeType: 'application/pdf', buffer: PDF });
    await dialog(ada).getByLabel('Title').fill(TITLE);
    await dialog(ada).getByRole('combobox', { name: 'Document type' }).selectOption({ label: 'Contract' });
    await dialog(ada).getByLabel('End').fill('2027-06-30');
    await dialog(ada).getByRole('combobox', { name: 'Renewal' }).selectOption('manual');
    await dialog(ada).getByLabel('Counterparty').fill('Sparkle Cleaning Ltd');
    await dialog(ada).getByRole('button', { name: 'Upload', exact: true }).click();

    await ada.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    documentUrl = new URL(ada.url()).pathname;
    const metadata = ada.getByRole('region', { name: /Metadata/ });
    await metadata.getByText('Sparkle Cleaning Ltd').waitFor();
    expect(await metadata.textContent()).toContain('manual');
    expect(await metadata.getByRole('heading').textContent()).toBe('Metadata · Contract');
  });

  it("lists the contract under its type, with the type's fields as columns", async () => {
    await ada.getByRole('navigation', { name: 'Document sections' }).getByRole('link', { name: 'Documents' }).click();
    await ada.getByRole('search', { name: 'Find documents' }).getByLabel('Type').selectOption({ label: 'Contract' });
    const table = ada.getByRole('table', { name: 'Documents' });
    await table.getByRole('columnheader', { name: 'Counterparty' }).waitFor();
    const row = table.getByRole('row', { name: new RegExp(TITLE) });
    expect(await row.textContent()).toContain('Sparkle Cleaning Ltd');
  });

  it('submits version 1.0 to Rita Reviewer', async () => {
    await ada.goto(`${session.baseUrl}${documentUrl}`);
    await activate(reviewSection(ada).getByRole('button', { name: 'Submit for review' }));
    await dialog(ada).getByLabel('Rita Reviewer').check();
    await dialog(ada).getByLabel('Message to the reviewers').fill('Please check the termination clause');
    await dialog(ada).getByRole('button', { name: 'Submit', exact: true }).click();
    const row = reviewSection(ada).getByRole('row', { name: /^1\.0/ });
    await row.getByText('In review').waitFor();
    expect(await row.textContent()).toContain('Rita Reviewer');
    expect(await reviewSection(ada).getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('lets Rita find it in My reviews and approve it with a comment', async () => {
    rita = await session.signedIn('reviewer@tidings.local', 'Rita');
    await rita.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Documents' }).click();
    await rita.getByRole('navigation', { name: 'Document sections' }).getByRole('link', { name: 'My reviews' }).click();
    const mine = rita.getByRole('table', { name: 'My reviews' });
    await mine.getByRole('link', { name: TITLE }).waitFor();
    expect(await seriousViolations(rita)).toEqual([]);
    await mine.getByRole('link', { name: TITLE }).click();
    await rita.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await activate(reviewSection(rita).getByRole('button', { name: 'Approve' }));
    // Chromium's PDF viewer in the Preview takes the keyboard focus about half a second after its
    // frame has loaded, even from a dialog's text box: text typed as it does so can miss the box,
    // and the approval would go without its comment. Filled again until the box holds it.
    const comment = dialog(rita).getByLabel('Comment');
    await expect
      .poll(
        async () => {
          await comment.fill(COMMENT);
          return comment.inputValue();
        },
        { timeout: 30_000 },
      )
      .toBe(COMMENT);
    await dialog(rita).getByRole('button', { name: 'Approve' }).click();
    await reviewSection(rita).getByRole('row', { name: /^1\.0/ }).getByText('Approved').waitFor();
    const history = reviewSection(rita).getByRole('list', { name: 'Review history' });
    expect(await history.textContent()).toContain(COMMENT);
  });

  it('publishes the approved version', async () => {
    await ada.reload();
    await activate(reviewSection(ada).getByRole('button', { name: 'Publish 1.0' }));
    await reviewSection(ada).getByText('Published version: 1.0').waitFor();
    await reviewSection(ada).getByRole('row', { name: /^1\.0/ }).getByText('Published').waitFor();
    expect(await seriousViolations(ada)).toEqual([]);
  });
});
