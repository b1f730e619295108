import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let author: Awaited<ReturnType<TestApp['signedIn']>>;
let viewer: TestClient;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let admin: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  author = await t.signedIn(['author']);
  viewer = await t.signedIn(['viewer']);
  manager = await t.signedIn(['manager']);
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

const propose = async (client: TestClient, fields: Record<string, unknown> = {}) => {
  const response = await client.post('/api/suggestions', { title: 'Answer fax customers by email', ...fields });
  expect(response.status).toBe(201);
  return response.body;
};

describe('suggestions', () => {
  it('are proposed by any employee, linked to a queue, template, workflow or KPI that exists', async () => {
    const queue = await manager.post('/api/ticket-queues', { name: 'Billing' });
    expect(queue.status).toBe(201);
    const options = await viewer.get('/api/suggestions/link-options');
    expect(options.status).toBe(200);
    expect(options.body.queue).toContainEqual({ id: queue.body.id, name: 'Billing' });
    expect(options.body.kpi).toContainEqual({ id: 'complaint_rate', name: 'Complaint rate' });

    const byViewer = await propose(viewer, {
      title: 'Route billing questions faster',
      body: 'Half of them wait a day.',
      link: { kind: 'queue', id: queue.body.id },
    });
    expect(byViewer).toMatchObject({
      status: 'open',
      votes: 0,
      votedByMe: false,
      link: { kind: 'queue', id: queue.body.id, label: 'Billing' },
      nextStatuses: ['under_review', 'planned', 'declined'],
    });
    expect(await propose(agent, { link: { kind: 'kpi', id: 'complaint_rate' } })).toMatchObject({
      link: { label: 'Complaint rate' },
    });
    expect(await propose(agent, { link: { kind: 'workflow', id: 'template_review' } })).toMatchObject({
      link: { label: 'Template review and publishing' },
    });

    const missing = await agent.post('/api/suggestions', {
      title: 'x',
      link: { kind: 'template', id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.details).toEqual([{ path: 'body.link.id', message: 'names no template' }]);
    expect((await agent.post('/api/suggestions', { title: 'x', link: { kind: 'kpi', id: 'happiness' } })).status).toBe(
      404,
    );
    expect((await agent.post('/api/suggestions', { title: ' ' })).status).toBe(400);
  });

  it('take one vote per person, a second taking it back, and list by votes or newest, by status', async () => {
    const popular = await propose(agent, { title: 'Popular' });
    const quiet = await propose(agent, { title: 'Quiet' });
    for (const client of [agent, author, viewer]) {
      const voted = await client.post(`/api/suggestions/${popular.id}/vote`);
      expect(voted.status).toBe(200);
      expect(voted.body.votedByMe).toBe(true);
    }
    expect((await manager.post(`/api/suggestions/${quiet.id}/vote`)).body.votes).toBe(1);
    const withdrawn = await viewer.post(`/api/suggestions/${popular.id}/vote`);
    expect(withdrawn.body).toMatchObject({ votes: 2, votedByMe: false });
    expect((await author.get(`/api/suggestions/${popular.id}`)).body).toMatchObject({ votes: 2, votedByMe: true });

    const byVotes = await agent.get('/api/suggestions?sort=votes&limit=2');
    expect(byVotes.body.suggestions.map((suggestion: { title: string }) => suggestion.title)).toEqual([
      'Popular',
      'Quiet',
    ]);
    const next = await agent.get(
      `/api/suggestions?sort=votes&limit=2&cursor=${encodeURIComponent(byVotes.body.nextCursor)}`,
    );
    expect(next.body.suggestions.every((suggestion: { votes: number }) => suggestion.votes === 0)).toBe(true);

    const newest = await agent.get('/api/suggestions?sort=newest&limit=1');
    expect(newest.body.suggestions[0].title).toBe('Quiet');

    const everything: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { body: { suggestions: { id: string }[]; nextCursor: string | null } } = await agent.get(
        `/api/suggestions?sort=votes&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      everything.push(...page.body.suggestions.map((suggestion) => suggestion.id));
      cursor = page.body.nextCursor;
    }
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything).toHaveLength((await agent.get('/api/suggestions?limit=500')).body.suggestions.length);
    expect((await agent.get('/api/suggestions?status=planned')).body.suggestions).toEqual([]);
    expect((await agent.get('/api/suggestions?status=shelved')).status).toBe(400);
  });

  it('are moved on by owners with a reason, along the lifecycle, and the author is told', async () => {
    const suggestion = await propose(agent, { title: 'Print letters twice a day' });
    const path = `/api/suggestions/${suggestion.id}/status`;
    expect((await agent.post(path, { status: 'planned', reason: 'Mine' })).status).toBe(403);
    expect((await manager.post(path, { status: 'planned' })).status).toBe(400);
    expect((await manager.post(path, { status: 'planned', reason: '  ' })).status).toBe(400);
    const skipped = await manager.post(path, { status: 'done', reason: 'Already so' });
    expect(skipped.status).toBe(409);
    expect(skipped.body.error).toBe('suggestions.wrong_status');

    const planned = await manager.post(path, { status: 'planned', reason: 'Next quarter, with the new printer' });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({
      status: 'planned',
      statusReason: 'Next quarter, with the new printer',
      statusChangedByName: 'Test manager',
      nextStatuses: ['under_review', 'done', 'declined'],
    });

    const notices = (await agent.get('/api/notifications')).body.notifications;
    expect(notices[0]).toMatchObject({
      kind: 'suggestion.status',
      title: 'Test manager set your suggestion "Print letters twice a day" to planned',
      body: 'Next quarter, with the new printer',
      subjectType: 'suggestion',
      subjectId: suggestion.id,
    });
    // The author follows their suggestion: the new status is in their feed too.
    const feed = (await agent.get('/api/feed')).body.events;
    expect(feed[0]).toMatchObject({
      kind: 'suggestion.status',
      subjectId: suggestion.id,
      subjectLabel: 'Suggestion: Print letters twice a day',
      summary: 'planned: Next quarter, with the new printer',
    });

    expect((await admin.post(path, { status: 'done', reason: 'Shipped' })).body.nextStatuses).toEqual([]);
    const audit = await admin.get(`/api/audit?entityType=suggestion&entityId=${suggestion.id}`);
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual([
      'suggestion.status_changed',
      'suggestion.status_changed',
      'suggestion.created',
    ]);
    expect(audit.body.events[1].summary).toEqual({
      from: 'open',
      to: 'planned',
      reason: 'Next quarter, with the new printer',
    });
  });

  it('take comments with mentions like any record', async () => {
    const suggestion = await propose(author, { title: 'Shorter reminders' });
    const commented = await agent.post('/api/record-comments', {
      subject: { kind: 'suggestion', id: suggestion.id },
      body: `Yes please, @${manager.user.email}`,
    });
    expect(commented.status).toBe(201);
    const notice = (await manager.get('/api/notifications')).body.notifications[0];
    expect(notice).toMatchObject({ kind: 'comment.mention', subjectType: 'suggestion', subjectId: suggestion.id });
    expect((await viewer.get(`/api/record-comments?kind=suggestion&id=${suggestion.id}`)).body.comments).toHaveLength(
      1,
    );
  });
});
