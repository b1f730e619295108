import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import type { ApiCall } from './support/session.js';
import { useBrowserSession } from './support/session.js';

const TITLE = 'Send complaint answers within a day';
const REASON = 'Next quarter, once the new queue is set up';

const session = useBrowserSession();
let agent: Page;
let manager: Page;
let agentApi: ApiCall;

beforeAll(async () => {
  [agent, manager] = await Promise.all([
    session.signedIn('agent@tidings.local', 'Aiden'),
    session.signedIn('manager@tidings.local', 'Mara'),
  ]);
  agentApi = await session.apiOf(agent);
});

describe('suggestions', () => {
  it('are proposed, voted for, commented on with a mention, and given a status the author hears of', async () => {
    // The agent proposes a change, about a KPI.
    await agent.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Suggestions' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Suggestions' }).waitFor();
    await agent.getByRole('button', { name: 'New suggestion' }).click();
    const dialog = agent.getByRole('dialog', { name: 'New suggestion' });
    await dialog.getByLabel('What should change').fill(TITLE);
    await dialog.getByLabel('Why, and how').fill('Complaints wait two days on average.');
    await dialog.getByLabel('About').selectOption({ label: 'KPI' });
    await dialog.getByLabel('KPI', { exact: true }).selectOption({ label: 'Complaint rate' });
    await dialog.getByRole('button', { name: 'Propose' }).click();
    await agent.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const suggestionUrl = agent.url();
    expect(await agent.getByText('KPI: Complaint rate').count()).toBe(1);

    // The manager finds it in the list and votes.
    await manager.goto(`${session.baseUrl}/suggestions`);
    const item = manager.getByRole('listitem').filter({ hasText: TITLE });
    await item.getByRole('button', { name: 'Vote' }).click();
    await item.getByRole('button', { name: 'Take back vote' }).waitFor();
    expect(await item.locator('.suggestion-votes strong').textContent()).toBe('1 vote');

    // …comments on it, mentioning the agent by the start of their email…
    await item.getByRole('link', { name: TITLE }).click();
    await manager.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const comments = manager.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Add a comment').fill('Good idea, @agent: can you draft the queue rules?');
    await comments.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = comments.getByRole('listitem', { name: 'Comment by Mara Manager' });
    await comment.waitFor();
    expect(await comment.locator('.record-comment-mention').textContent()).toBe('@agent');
    expect(await comments.getByRole('button', { name: 'Following' }).getAttribute('aria-pressed')).toBe('true');

    // …and plans it, with a reason.
    await manager.getByRole('button', { name: 'Change status' }).click();
    const change = manager.getByRole('dialog', { name: 'Change status' });
    await change.getByLabel('New status').selectOption({ label: 'Planned' });
    await change.getByLabel('Reason').fill(REASON);
    await change.getByRole('button', { name: 'Change status' }).click();
    const detail = manager.getByRole('region', { name: 'Suggestion' });
    await detail.locator('.suggestion-status', { hasText: 'Planned' }).waitFor();
    await detail.getByText(REASON).waitFor();
    expect(await seriousViolations(manager)).toEqual([]);

    // The agent was told of the mention and the new status, and sees both in the feed on the home page.
    const { notifications } = await agentApi<{ notifications: { title: string }[] }>('GET', '/api/notifications');
    expect(notifications.map((notice) => notice.title)).toEqual(
      expect.arrayContaining([
        `Mara Manager mentioned you on Suggestion: ${TITLE}`,
        `Mara Manager set your suggestion "${TITLE}" to planned`,
      ]),
    );
    await agent.goto(`${session.baseUrl}/`);
    const feed = agent.getByRole('region', { name: 'Activity on what I follow' });
    await feed.getByText(`planned: ${REASON}`).waitFor();
    await feed
      .getByRole('link', { name: `Suggestion: ${TITLE}` })
      .first()
      .click();
    await agent.waitForURL(suggestionUrl);
    await agent.getByText('Good idea, @agent').waitFor();
    expect(await seriousViolations(agent)).toEqual([]);
  });
});
