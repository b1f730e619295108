import { describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

const TARIFF_DATA = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
const RUN_FINISHES = { timeout: 60_000 };

const session = useBrowserSession();

describe('a corrective mailing from the version page', () => {
  it('shows who received version 1 and sends version 2 to exactly them after one confirmation', async () => {
    const [manager, author, reviewer] = await Promise.all([
      session.signedIn('manager@tidings.local', 'Mara'),
      session.signedIn('author@tidings.local', 'Arthur'),
      session.signedIn('reviewer@tidings.local', 'Rita'),
    ]);
    const [asManager, asAuthor, asReviewer] = await Promise.all([
      session.apiOf(manager),
      session.apiOf(author),
      session.apiOf(reviewer),
    ]);

    // Version 1 goes to the four fax customers; then version 2 is written, approved and published.
    const { segments } = await asManager('GET', '/api/segments');
    const segment = segments.find((candidate: { name: string }) => candidate.name === 'Fax-first small businesses');
    const first = await asManager('POST', '/api/batch-runs', {
      template: 'tariff-change',
      segmentId: segment.id,
      data: TARIFF_DATA,
    });
    await expect
      .poll(async () => (await asManager('GET', `/api/batch-runs/${first.id}`)).status, RUN_FINISHES)
      .toBe('completed');
    const v1 = await asAuthor('GET', '/api/templates/tariff-change/versions/1');
    await asAuthor('POST', '/api/templates/tariff-change/versions', {
      variants: { en: { ...v1.variants.en, fax: { body: `Corrected notice. ${v1.variants.en.fax.body}` } } },
      defaultLanguage: 'en',
      dataSchema: v1.dataSchema,
      sampleData: v1.sampleData,
      changeNote: 'Says that it corrects the first notice',
    });
    await asAuthor('POST', '/api/templates/tariff-change/versions/2/workflow', { action: 'submit' });
    await asReviewer('POST', '/api/templates/tariff-change/versions/2/workflow', { action: 'approve' });
    await asAuthor('POST', '/api/templates/tariff-change/versions/2/workflow', { action: 'publish' });

    await manager.goto(`${session.baseUrl}/templates/tariff-change/versions/1`);
    const recipients = manager.getByRole('region', { name: 'Who received this version' });
    await recipients.getByText('4 customers received it').waitFor();
    const counted = (list: string, label: string) =>
      recipients.locator(`dl[aria-label="Communications of this version by ${list}"] dt:text-is("${label}") + dd`);
    expect(await counted('status', 'Sent').textContent()).toBe('4');
    expect(await counted('channel', 'Fax').textContent()).toBe('4');
    expect(await recipients.getByRole('link', { name: 'Show its communications' }).getAttribute('href')).toBe(
      `/communications?templateVersionId=${v1.id}`,
    );

    await recipients.getByRole('button', { name: 'Send version 2 to the 4 customers who received version 1' }).click();
    const dialog = manager.getByRole('dialog', { name: 'Send version 2 to 4 customers?' });
    await dialog.getByRole('button', { name: 'Start the corrective mailing' }).click();

    await manager.getByRole('heading', { level: 1, name: 'Corrective mailing: Tariff change notice' }).waitFor();
    const progress = manager.getByRole('progressbar', { name: 'Batch run progress' });
    await expect.poll(() => progress.getAttribute('aria-valuetext'), RUN_FINISHES).toBe('Completed: 4 of 4 done');
    const audience = manager.locator('dl[aria-label="Batch run"] dt:text-is("Audience") + dd');
    expect(await audience.textContent()).toBe('Recipients of version 1');

    // Back on version 1: everyone has version 2 now, and the mailing is listed.
    await manager.goto(`${session.baseUrl}/templates/tariff-change/versions/1`);
    await recipients.getByText('Everyone who received it has version 2 now.').waitFor();
    await recipients.getByRole('list', { name: 'Corrective mailings' }).getByText('Version 2 to 4 customers').waitFor();
  }, 180_000);
});
