import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { colleague, newCustomer } from './support.js';

let t: TestApp;
let agent: TestClient;
let manager: TestClient;
let follower: Awaited<ReturnType<typeof colleague>>;
let author: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  manager = await t.signedIn(['manager']);
  follower = await colleague(t, ['agent'], 'fiona.follower@example.test');
  author = await t.signedIn(['author']);
});
afterAll(() => t.close());

type FeedEvent = { id: string; subjectKind: string; subjectId: string; subjectLabel: string; summary: string };

async function wholeFeed(client: TestClient, limit: number) {
  const events: FeedEvent[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await client.get(`/api/feed?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    expect(page.body.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.body.events);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { events, pages };
}

describe('following and the feed', () => {
  it('shows what others did on followed records, newest first, keyset paged without gaps or repeats', async () => {
    const followed = await newCustomer(agent, 'Followed');
    const ignored = await newCustomer(agent, 'Ignored');
    const follow = await follower.put(`/api/follows/customer/${followed}`);
    expect(follow.body).toEqual({ following: true });

    for (let index = 1; index <= 7; index += 1) {
      const client = index % 2 === 0 ? agent : manager;
      await client.post('/api/record-comments', { subject: { kind: 'customer', id: followed }, body: `Note ${index}` });
    }
    await agent.post('/api/record-comments', { subject: { kind: 'customer', id: ignored }, body: 'Not followed' });
    // My own comments are no news to me.
    await follower.post('/api/record-comments', { subject: { kind: 'customer', id: followed }, body: 'Mine' });

    const { events, pages } = await wholeFeed(follower, 3);
    expect(pages).toBe(3);
    expect(events.map((event) => event.summary)).toEqual([7, 6, 5, 4, 3, 2, 1].map((index) => `Note ${index}`));
    expect(new Set(events.map((event) => event.id)).size).toBe(7);
    expect(events[0]).toMatchObject({ subjectKind: 'customer', subjectId: followed, subjectLabel: 'Ada Followed' });

    expect((await follower.get('/api/feed?cursor=not-a-cursor')).status).toBe(400);

    // Commenting followed the record for the agent and the manager too.
    expect((await manager.get(`/api/follows/customer/${followed}`)).body).toEqual({ following: true });

    const unfollowed = await follower.delete(`/api/follows/customer/${followed}`);
    expect(unfollowed.body).toEqual({ following: false });
    expect((await follower.get('/api/feed')).body).toEqual({ events: [], nextCursor: null });
  });

  it('holds records of the kinds the reader may read; following needs read permission', async () => {
    const customerId = await newCustomer(agent, 'Ticketed');
    const ticket = await agent.post('/api/tickets', {
      kind: 'request',
      subject: 'Help',
      customerId,
      message: 'Please.',
    });
    await manager.put(`/api/follows/ticket/${ticket.body.id}`);
    await agent.post('/api/record-comments', {
      subject: { kind: 'ticket', id: ticket.body.id },
      body: 'Working on it',
    });
    const feed = (await manager.get('/api/feed')).body.events as FeedEvent[];
    expect(feed.find((event) => event.subjectKind === 'ticket')).toMatchObject({ summary: 'Working on it' });
    expect((await author.put(`/api/follows/ticket/${ticket.body.id}`)).status).toBe(403);

    // A role that no longer reads tickets takes them out of the feed of one who followed while it did.
    const watcher = await t.signedIn(['agent']);
    await watcher.put(`/api/follows/ticket/${ticket.body.id}`);
    expect((await watcher.get('/api/feed')).body.events).toHaveLength(1);
    const admin = await t.signedIn(['admin']);
    expect((await admin.patch(`/api/users/${watcher.user.id}`, { roles: ['author'] })).status).toBe(200);
    expect((await watcher.get('/api/feed')).body.events).toEqual([]);
  });
});
