import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

const AUTHOR = 'author@tidings.local';
const REVIEWER = 'reviewer@tidings.local';
const ADMIN = 'admin@tidings.local';
// Rendering every channel for three sample customers takes a while on a shared machine.
const SLOW = { timeout: 30_000 };

const session = useBrowserSession();

async function insertFragment(page: Page, name: RegExp) {
  await page.getByRole('button', { name: 'Insert fragment' }).click();
  await page.getByRole('region', { name: 'Fragments' }).getByRole('button', { name }).click();
}

const channelTab = (page: Page, name: string) =>
  page.getByRole('tablist', { name: 'Channels' }).getByRole('tab', { name, exact: true });

describe('templates from writing to publishing', () => {
  const key = 'meter-reading-reminder';

  it('an author writes a template from fragments, previews it for a customer, fixes what compliance finds and submits it', async () => {
    const page = await session.signedIn(AUTHOR, 'Arthur');
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'New template' }).click();

    await page.getByLabel('Name').fill('Meter reading reminder');
    expect(await page.getByLabel('Key').inputValue()).toBe(key);
    await page.getByLabel('Purpose').selectOption('regulatory');

    await page.getByLabel('Email subject').fill('Time to read your meter, {{ customer.name }}');
    await page
      .getByLabel('Email body')
      .fill('Dear {{ customer.name }},\n\nplease send us your meter reading by {{ data.due }}.');
    await insertFragment(page, /Legal disclosure/);
    await expect
      .poll(() => page.getByLabel('Email body').inputValue())
      .toContain("by {{ data.due }}.\n\n{% fragment 'legal-disclosure' %}");

    await channelTab(page, 'SMS').click();
    await page
      .getByLabel('SMS text')
      .fill('Hi {{ customer.name }}, please send us your meter reading by {{ data.due }}.');
    await channelTab(page, 'Letter').click();
    await page
      .getByLabel('Letter body')
      .fill(
        '# Your meter reading\n\nDear {{ customer.name }},\n\nplease send us your meter reading by {{ data.due }}.',
      );
    await page.getByText('Data', { exact: true }).click();
    await page.getByLabel('Sample data').fill('{"due": "31 March"}');

    // The preview follows the editor; for a real customer it shows their name on every channel.
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByRole('button', { name: 'Preview for a customer' }).click();
    await preview.getByLabel('Find a customer').fill('Emily');
    await preview.getByRole('button', { name: /Emily Clarke/ }).click();
    await preview.getByText('Emily Clarke · in en').waitFor(SLOW);
    await preview
      .frameLocator('iframe[title="Email as HTML"]')
      .locator('p', { hasText: 'Dear Emily Clarke,' })
      .waitFor(SLOW);
    expect(await preview.getByRole('region', { name: 'Email preview' }).textContent()).toContain(
      'Time to read your meter, Emily Clarke',
    );
    expect(await preview.getByRole('region', { name: 'SMS preview' }).textContent()).toMatch(
      /Hi Emily Clarke, please send us your meter reading by 31 March\.GSM-7 · 1 segment · \d+ characters/,
    );
    expect(await preview.getByRole('region', { name: 'Letter preview' }).textContent()).toMatch(/\d+ pages?/);

    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText('Saved version 1 of Meter reading reminder as a draft.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/templates/${key}`);

    // A regulatory letter must carry the disclosure: the panel says so, and its entry opens the letter.
    const compliance = page.getByRole('region', { name: 'Compliance' });
    const failure = compliance.getByRole('button', {
      name: /The letter body must include the fragment 'legal-disclosure'/,
    });
    await failure.waitFor(SLOW);
    expect(await compliance.textContent()).toContain('Version 1 breaks 1 rule');
    await channelTab(page, 'Email').click();
    await failure.click();
    // The tab lives in the URL, and a router navigation may render a moment after the click.
    await expect.poll(() => channelTab(page, 'Letter').getAttribute('aria-selected')).toBe('true');
    await insertFragment(page, /Legal disclosure/);
    await page.getByLabel('Change note').fill('The letter carries the legal disclosure');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText('Saved version 2 as a draft.').waitFor();
    await compliance.getByText('Version 2 meets every rule for its purpose.').waitFor(SLOW);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Version 2 is in review.').waitFor(SLOW);
    const versions = page.getByRole('region', { name: 'Version history' });
    await versions.getByText('In review').waitFor();
  });

  it('a reviewer sees what changed, comments and approves; the version is published and the library says so', async () => {
    const page = await session.signedIn(REVIEWER, 'Rita');
    await page.goto(`${session.baseUrl}/templates`);
    await page
      .getByRole('row', { name: /Meter reading reminder/ })
      .getByRole('link', { name: /v2/ })
      .click();
    await page.getByRole('heading', { name: 'Meter reading reminder · version 2' }).waitFor();

    const changes = page.getByRole('region', { name: 'Changes' });
    await changes.getByText('From version 1 to version 2: 1 field changed.').waitFor();
    expect(await changes.textContent()).toContain('English · Letter body');
    expect(await changes.locator('.diff-added').allTextContents()).toContainEqual(
      expect.stringContaining("{% fragment 'legal-disclosure' %}"),
    );

    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Add comment').fill('Clear and short. Could the SMS name the due date as a date?');
    await comments.getByRole('button', { name: 'Add comment' }).click();
    const thread = comments.getByRole('listitem', { name: 'Comment by reviewer@tidings.local' });
    await thread.getByText('Could the SMS name the due date as a date?').waitFor();
    await thread.getByRole('button', { name: 'Resolve' }).click();
    await thread.getByText(/Resolved by reviewer@tidings\.local/).waitFor();

    await page.getByRole('button', { name: 'Approve' }).click();
    const approval = page.getByRole('dialog', { name: 'Approve this version?' });
    await approval.getByLabel('Comment').fill('Approved for the spring reminder.');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Version 2 is approved and can be published.').waitFor();
    await comments.getByText('Approved for the spring reminder.').waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog', { name: 'Publish version 2?' }).getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Version 2 is published/).waitFor();

    await page.goto(`${session.baseUrl}/templates`);
    const row = page.getByRole('row', { name: /Meter reading reminder/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/v2\s*Published/);
  });

  it('tells someone who wrote a version that they cannot approve it themselves', async () => {
    const page = await session.signedIn(ADMIN, 'Ada');
    await page.goto(`${session.baseUrl}/templates/tariff-change`);
    await channelTab(page, 'SMS').click();
    await page
      .getByLabel('SMS text')
      .fill(
        'Tidings: your tariff {{ data.tariff }} costs {{ data.monthly | money: "EUR" }} a month from {{ data.effective | date: "short" }}.',
      );
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText('Saved version 2 as a draft.').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Version 2 is in review.').waitFor(SLOW);

    await page.getByRole('link', { name: 'Open the review screen' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog', { name: 'Approve this version?' }).getByRole('button', { name: 'Approve' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Four eyes' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('You wrote this version, so someone else must approve it.');
    await page.getByText('In review', { exact: true }).first().waitFor();
  });

  it('shows a portal message in the preview as the portal policy allows: no images, links that open apart', async () => {
    const page = await session.signedIn(AUTHOR, 'Arthur');
    // The server sanitizes what it renders; the preview holds to the same policy on its own, whatever it is sent.
    await page.route(/\/api\/(template-previews|templates\/[^/]+\/versions\/\d+\/preview)$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        previews: { channels: { preview?: { channel: string; html?: string } }[] }[];
      };
      for (const outcome of body.previews.flatMap((preview) => preview.channels)) {
        if (outcome.preview?.channel === 'portal')
          outcome.preview.html +=
            '<p>Injected <img src="https://tracker.example/pixel.gif" alt="tracker"> ' +
            '<a href="//tracker.example/x" onclick="alert(1)">relative</a> ' +
            '<a href="javascript:alert(1)">script</a> <a href="https://example.com/help">help</a></p>';
      }
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${session.baseUrl}/templates/tariff-change`);
    const portal = page.getByRole('region', { name: 'Portal preview' });
    await portal.getByText('Injected').waitFor(SLOW);
    expect(await portal.locator('img').count()).toBe(0);
    expect(await portal.locator('[onclick]').count()).toBe(0);
    const links = portal.locator('.portal-body a');
    expect(await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')))).toEqual([
      null,
      null,
      'https://example.com/help',
    ]);
    expect(await portal.getByRole('link', { name: 'help' }).getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });
});
