import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let otherAgent: Awaited<ReturnType<TestApp['signedIn']>>;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let viewer: Awaited<ReturnType<TestApp['signedIn']>>;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  otherAgent = await t.signedIn(['agent']);
  manager = await t.signedIn(['manager']);
  viewer = await t.signedIn(['viewer']);
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

async function article(fields: Record<string, unknown> = {}) {
  const created = await agent.post('/api/knowledge/articles', {
    title: 'Reading your meter',
    body: 'Find the **meter** in the basement.',
    tags: ['meter'],
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const auditActions = async (id: string) =>
  (await admin.get(`/api/audit?entityType=knowledge_article&entityId=${id}`)).body.events
    .map((event: { action: string }) => event.action)
    .reverse();

describe('versions', () => {
  it('makes every save a new version with its author, time and change note; readers see the current one', async () => {
    const created = await article({ changeNote: 'First draft' });
    expect(created).toMatchObject({
      title: 'Reading your meter',
      slug: 'reading-your-meter',
      currentVersion: 1,
      status: 'draft',
      visibility: 'internal',
      actions: ['publish', 'archive'],
    });

    const second = await otherAgent.post(`/api/knowledge/articles/${created.id}/versions`, {
      title: 'Reading your gas meter',
      body: 'The gas meter is by the front door.',
      tags: ['meter', 'gas'],
      changeNote: 'Gas, not water',
      baseVersion: 1,
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      number: 2,
      author: otherAgent.user.email,
      authorId: otherAgent.user.id,
      changeNote: 'Gas, not water',
    });

    const current = (await viewer.get(`/api/knowledge/articles/${created.id}`)).body;
    expect(current).toMatchObject({
      title: 'Reading your gas meter',
      body: 'The gas meter is by the front door.',
      tags: ['meter', 'gas'],
      currentVersion: 2,
    });

    const history = (await viewer.get(`/api/knowledge/articles/${created.id}/versions`)).body;
    expect(history.versions.map((v: { number: number; changeNote: string; author: string }) => v)).toMatchObject([
      { number: 2, changeNote: 'Gas, not water', author: otherAgent.user.email },
      { number: 1, changeNote: 'First draft', author: agent.user.email },
    ]);
    expect(history.versions[0]).not.toHaveProperty('body');

    const first = (await viewer.get(`/api/knowledge/articles/${created.id}/versions/1`)).body;
    expect(first).toMatchObject({ title: 'Reading your meter', body: 'Find the **meter** in the basement.' });
  });

  it('restores an old version as a new one, leaving history as it was', async () => {
    const created = await article({ title: 'Moving house' });
    await agent.post(`/api/knowledge/articles/${created.id}/versions`, {
      title: 'Moving house (wrong)',
      body: 'Oops.',
      tags: [],
    });
    const restored = await agent.post(`/api/knowledge/articles/${created.id}/versions/1/restore`, {});
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({
      number: 3,
      title: 'Moving house',
      body: 'Find the **meter** in the basement.',
      restoredFrom: 1,
      changeNote: 'Restored version 1',
    });
    expect((await agent.get(`/api/knowledge/articles/${created.id}`)).body).toMatchObject({
      title: 'Moving house',
      currentVersion: 3,
    });
    expect((await agent.get(`/api/knowledge/articles/${created.id}/versions/2`)).body.title).toBe(
      'Moving house (wrong)',
    );
    expect(await auditActions(created.id)).toEqual([
      'knowledge_article.created',
      'knowledge_article.version_saved',
      'knowledge_article.version_restored',
    ]);
  });

  it('refuses a save made over a newer version, naming the field', async () => {
    const created = await article({ title: 'Paying by card' });
    const save = (baseVersion: number) =>
      agent.post(`/api/knowledge/articles/${created.id}/versions`, {
        title: 'Paying by card',
        body: `Edit from ${baseVersion}`,
        tags: [],
        baseVersion,
      });
    expect((await save(1)).status).toBe(201);
    const stale = await save(1);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      error: 'knowledge.version_conflict',
      details: [{ path: 'body.baseVersion' }],
    });
  });

  it('pages through many versions without skipping or repeating', async () => {
    const created = await article({ title: 'Many versions' });
    for (let n = 2; n <= 7; n++) {
      await agent.post(`/api/knowledge/articles/${created.id}/versions`, { title: `v${n}`, body: 'x', tags: [] });
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { versions: { number: number }[]; nextCursor: string | null } } = await agent.get(
        `/api/knowledge/articles/${created.id}/versions?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.versions.map((v) => v.number));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('answers 404 for a version that does not exist', async () => {
    const created = await article({ title: 'Short history' });
    expect((await agent.get(`/api/knowledge/articles/${created.id}/versions/9`)).status).toBe(404);
    expect((await agent.post(`/api/knowledge/articles/${created.id}/versions/9/restore`, {})).status).toBe(404);
  });
});

describe('lifecycle and settings', () => {
  it('publishes, unpublishes and archives by the table; an archived article cannot be changed', async () => {
    const created = await article({ title: 'Closing your account' });
    const act = (action: string) => agent.post(`/api/knowledge/articles/${created.id}/actions`, { action });
    expect((await act('publish')).body).toMatchObject({ status: 'published', actions: ['unpublish', 'archive'] });
    expect((await act('publish')).body).toMatchObject({ error: 'knowledge.wrong_status' });
    expect((await act('archive')).body).toMatchObject({ status: 'archived', actions: ['unarchive'] });
    const edit = await agent.post(`/api/knowledge/articles/${created.id}/versions`, {
      title: 'x',
      body: 'y',
      tags: [],
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error).toBe('knowledge.archived');
    expect((await act('unarchive')).body).toMatchObject({ status: 'draft' });
    expect(await auditActions(created.id)).toEqual([
      'knowledge_article.created',
      'knowledge_article.published',
      'knowledge_article.archived',
      'knowledge_article.unarchived',
    ]);
  });

  it('gives a taken title the next free slug, refuses a taken slug, and keeps a published slug', async () => {
    const first = await article({ title: 'Tariffs explained' });
    const second = await article({ title: 'Tariffs explained' });
    expect(second.slug).toBe('tariffs-explained-2');

    const clash = await agent.patch(`/api/knowledge/articles/${second.id}`, { slug: first.slug });
    expect(clash.status).toBe(409);
    expect(clash.body.details).toEqual([{ path: 'body.slug', message: 'is already taken' }]);

    await agent.post(`/api/knowledge/articles/${first.id}/actions`, { action: 'publish' });
    const moved = await agent.patch(`/api/knowledge/articles/${first.id}`, { slug: 'tariffs' });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toBe('knowledge.slug_published');

    const renamed = await agent.patch(`/api/knowledge/articles/${second.id}`, { slug: 'tariffs-in-detail' });
    expect(renamed.body.slug).toBe('tariffs-in-detail');
    const [event] = (await admin.get(`/api/audit?action=knowledge_article.updated&entityId=${second.id}`)).body.events;
    expect(event.summary.fieldChanges).toEqual({
      slug: { before: 'tariffs-explained-2', after: 'tariffs-in-detail' },
    });
  });

  it('lists the most recently changed first and archived articles only when asked', async () => {
    const older = await article({ title: 'Older list entry' });
    const newer = await article({ title: 'Newer list entry' });
    await agent.post(`/api/knowledge/articles/${older.id}/versions`, { title: 'Older, edited', body: 'x', tags: [] });
    const ids = async (query = '') =>
      (await viewer.get(`/api/knowledge/articles?limit=500${query}`)).body.articles.map((a: { id: string }) => a.id);
    expect((await ids()).slice(0, 2)).toEqual([older.id, newer.id]);

    await agent.post(`/api/knowledge/articles/${newer.id}/actions`, { action: 'archive' });
    expect(await ids()).not.toContain(newer.id);
    expect(await ids('&status=archived')).toContain(newer.id);
  });

  it('refuses malformed input field by field', async () => {
    const bad = await agent.post('/api/knowledge/articles', {
      title: '',
      slug: 'Not A Slug',
      body: 'x',
      visibility: 'secret',
      extra: true,
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.slug', 'body.visibility']));

    const noCategory = await agent.post('/api/knowledge/articles', {
      title: 'Nowhere',
      body: 'x',
      categoryId: '00000000-0000-4000-8000-000000000000',
    });
    expect(noCategory.status).toBe(400);
    expect(noCategory.body.details[0].path).toBe('body.categoryId');
  });

  it('lets every staff role read, agents and managers write, and only admins and managers order categories', async () => {
    expect((await viewer.get('/api/knowledge/articles')).status).toBe(200);
    expect((await viewer.post('/api/knowledge/articles', { title: 'No', body: 'no' })).status).toBe(403);
    expect((await manager.post('/api/knowledge/articles', { title: 'Yes', body: 'yes' })).status).toBe(201);
    expect((await agent.post('/api/knowledge/categories', { name: 'Agents cannot' })).status).toBe(403);
    expect((await t.client().get('/api/knowledge/articles')).status).toBe(401);
  });
});

describe('categories', () => {
  it('keeps their order, counts their articles and removes only empty ones', async () => {
    const billing = (await manager.post('/api/knowledge/categories', { name: 'Billing', position: 10 })).body;
    const meters = (await manager.post('/api/knowledge/categories', { name: 'Meters' })).body;
    expect(meters.position).toBe(11);
    const moved = await manager.patch(`/api/knowledge/categories/${meters.id}`, { position: 5 });
    expect(moved.body).toMatchObject({ name: 'Meters', position: 5, articleCount: 0 });
    await article({ title: 'Your first bill', categoryId: billing.id });

    const names = (await viewer.get('/api/knowledge/categories')).body.categories.map(
      (category: { name: string; articleCount: number }) => [category.name, category.articleCount],
    );
    expect(names).toEqual([
      ['Meters', 0],
      ['Billing', 1],
    ]);
    expect((await manager.post('/api/knowledge/categories', { name: 'Billing' })).status).toBe(409);
    const inUse = await manager.delete(`/api/knowledge/categories/${billing.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toBe('knowledge.category_in_use');
    expect((await manager.delete(`/api/knowledge/categories/${meters.id}`)).status).toBe(204);
  });
});

describe('an article in a reply', () => {
  it('gives the help-centre link of a public published article and its text as safe HTML and plain text', async () => {
    const created = await article({
      title: 'Direct debit',
      visibility: 'public',
      body: '# Direct debit\n\nSet it up [online](https://example.com/dd).\n\n<script>alert(1)</script>\n\n- monthly\n- quarterly',
    });
    const draft = (await agent.get(`/api/knowledge/articles/${created.id}/reply-content`)).body;
    expect(draft.publicPath).toBeNull();

    await agent.post(`/api/knowledge/articles/${created.id}/actions`, { action: 'publish' });
    const content = (await agent.get(`/api/knowledge/articles/${created.id}/reply-content`)).body;
    expect(content).toMatchObject({
      title: 'Direct debit',
      visibility: 'public',
      publicPath: '/help/articles/direct-debit',
    });
    expect(content.markdown).toContain('[online](https://example.com/dd)');
    expect(content.html).toContain('<a href="https://example.com/dd"');
    expect(content.html).toContain('<li>monthly</li>');
    expect(content.html).not.toMatch(/script|alert/);
    expect(content.text).toMatch(/^Direct debit\n\nSet it up online \(https:\/\/example.com\/dd\)\.\n\n/);
    expect(content.text).toMatch(/- monthly\n- quarterly$/);
    expect(content.text).not.toContain('<');
  });

  it('gives no link for an internal article', async () => {
    const created = await article({ title: 'Escalation contacts' });
    await agent.post(`/api/knowledge/articles/${created.id}/actions`, { action: 'publish' });
    const content = (await agent.get(`/api/knowledge/articles/${created.id}/reply-content`)).body;
    expect(content).toMatchObject({ visibility: 'internal', publicPath: null });
  });
});
