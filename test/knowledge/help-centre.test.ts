import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let visitor: TestClient;
const categories: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  visitor = t.client();
  const manager = await t.signedIn(['manager']);
  for (const name of ['Billing', 'Fraud handling', 'Coming soon']) {
    categories[name] = (await manager.post('/api/knowledge/categories', { name })).body.id;
  }
});
afterAll(() => t.close());

async function article(fields: Record<string, unknown>, publish = true) {
  const created = await agent.post('/api/knowledge/articles', { tags: ['internal-tag'], ...fields });
  expect(created.status).toBe(201);
  if (publish) await agent.post(`/api/knowledge/articles/${created.body.id}/actions`, { action: 'publish' });
  return created.body as { id: string; slug: string };
}

describe('the help centre', () => {
  let shown: { id: string; slug: string };
  let internal: { id: string; slug: string };
  let draft: { id: string; slug: string };

  beforeAll(async () => {
    shown = await article({
      title: 'Understanding your bill',
      visibility: 'public',
      categoryId: categories.Billing,
      body: '## Your bill\n\nIt shows **what you used**.\n\n<script>alert(1)</script><img src="https://tracker.example/p.gif">',
    });
    internal = await article({
      title: 'Spotting a fake bill',
      visibility: 'internal',
      categoryId: categories['Fraud handling'],
      body: 'Call the fraud desk on extension 4242.',
    });
    draft = await article(
      { title: 'New tariffs', visibility: 'public', categoryId: categories['Coming soon'], body: 'Soon.' },
      false,
    );
  });

  it('lists only categories that hold public published articles, without signing in', async () => {
    const response = await visitor.get('/api/help/categories');
    expect(response.status).toBe(200);
    expect(response.body.categories).toEqual([{ id: categories.Billing, name: 'Billing', articleCount: 1 }]);
  });

  it('lists, searches and reads public published articles only', async () => {
    const listed = (await visitor.get('/api/help/articles')).body.articles.map((a: { slug: string }) => a.slug);
    expect(listed).toEqual([shown.slug]);
    const inFraud = await visitor.get(`/api/help/articles?categoryId=${categories['Fraud handling']}`);
    expect(inFraud.body.articles).toEqual([]);

    const searched = await visitor.get('/api/help/search?q=bill');
    expect(searched.body.articles.map((a: { slug: string }) => a.slug)).toEqual([shown.slug]);
    expect((await visitor.get('/api/help/search?q=fraud%20desk')).body.articles).toEqual([]);

    for (const hidden of [internal, draft]) {
      const read = await visitor.get(`/api/help/articles/${hidden.slug}`);
      expect(read.status).toBe(404);
      expect(read.body.error).toBe('help.article_not_found');
      expect(read.text).not.toContain('4242');
    }
  });

  it('shows an article as sanitized HTML and nothing a customer should not see', async () => {
    const read = await visitor.get(`/api/help/articles/${shown.slug}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      slug: shown.slug,
      title: 'Understanding your bill',
      categoryId: categories.Billing,
      categoryName: 'Billing',
      updatedAt: expect.any(String),
      path: `/help/articles/${shown.slug}`,
      html: expect.stringContaining('<strong>what you used</strong>'),
    });
    expect(read.body.html).not.toMatch(/script|alert|<img|tracker/);
    expect(read.text).not.toContain('internal-tag');
  });

  it('stops showing an article once it is unpublished or made internal', async () => {
    const leaving = await article({ title: 'Paying late', visibility: 'public', body: 'Late payment fees.' });
    expect((await visitor.get(`/api/help/articles/${leaving.slug}`)).status).toBe(200);

    await agent.patch(`/api/knowledge/articles/${leaving.id}`, { visibility: 'internal' });
    expect((await visitor.get(`/api/help/articles/${leaving.slug}`)).status).toBe(404);
    expect((await visitor.get('/api/help/search?q=late')).body.articles).toEqual([]);

    await agent.patch(`/api/knowledge/articles/${leaving.id}`, { visibility: 'public' });
    expect((await visitor.get(`/api/help/articles/${leaving.slug}`)).status).toBe(200);
    await agent.post(`/api/knowledge/articles/${leaving.id}/actions`, { action: 'unpublish' });
    expect((await visitor.get(`/api/help/articles/${leaving.slug}`)).status).toBe(404);
  });

  it('pages the list by title', async () => {
    const titles = ['Zebra crossings', 'Apples and pears', 'Émile’s guide', 'Meter boxes'];
    for (const title of titles) {
      await article({ title, visibility: 'public', body: 'x', categoryId: categories['Coming soon'] });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { articles: { title: string }[]; nextCursor: string | null } } = await visitor.get(
        `/api/help/articles?categoryId=${categories['Coming soon']}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.articles.map((a) => a.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Apples and pears', 'Émile’s guide', 'Meter boxes', 'Zebra crossings']);
  });
});

describe('did this answer your question?', () => {
  it('counts yes and no per article, shown to staff', async () => {
    const asked = await article({ title: 'Changing your address', visibility: 'public', body: 'Online.' });
    const vote = (helpful: unknown) => visitor.post(`/api/help/articles/${asked.slug}/feedback`, { helpful });
    for (const helpful of [true, true, false]) expect((await vote(helpful)).status).toBe(204);

    expect((await agent.get(`/api/knowledge/articles/${asked.id}`)).body).toMatchObject({ helpful: 2, notHelpful: 1 });
  });

  it('refuses votes on articles the help centre does not show, and malformed votes', async () => {
    const hidden = await article({ title: 'Internal refund limits', body: 'Up to 500.' });
    const refused = await visitor.post(`/api/help/articles/${hidden.slug}/feedback`, { helpful: true });
    expect(refused.status).toBe(404);
    expect((await agent.get(`/api/knowledge/articles/${hidden.id}`)).body).toMatchObject({
      helpful: 0,
      notHelpful: 0,
    });

    const asked = await article({ title: 'Opening hours', visibility: 'public', body: '9 to 5.' });
    const malformed = await visitor.post(`/api/help/articles/${asked.slug}/feedback`, { helpful: 'yes', n: 100 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.map((detail: { path: string }) => detail.path)).toEqual(
      expect.arrayContaining(['body.helpful']),
    );
    expect((await agent.get(`/api/knowledge/articles/${asked.id}`)).body).toMatchObject({ helpful: 0 });
  });
});
