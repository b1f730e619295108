import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testEngine } from '../support/engine.js';

type Hit = { id?: string; slug: string; title: string; snippet: string; rank?: number };

/**
 * Knowledge-base search as staff and the help centre use it. The same cases run on PGlite
 * (search.test.ts) and on PostgreSQL (search.postgres.test.ts): text search must answer alike on both.
 */
export function searchCases() {
  let t: TestApp;
  let agent: Awaited<ReturnType<TestApp['signedIn']>>;

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.signedIn(['agent']);
  });
  afterAll(() => t.close());

  async function article(fields: Record<string, unknown>, action?: 'publish' | 'archive') {
    const created = await agent.post('/api/knowledge/articles', { tags: [], ...fields });
    expect(created.status).toBe(201);
    if (action) await agent.post(`/api/knowledge/articles/${created.body.id}/actions`, { action });
    return created.body as { id: string; slug: string };
  }

  const search = async (query: string): Promise<Hit[]> => {
    const response = await agent.get(`/api/knowledge/search?${query}`);
    expect(response.status).toBe(200);
    return response.body.articles;
  };

  describe(`knowledge search on ${testEngine()}`, () => {
    it('ranks a match in the title above one in the body, and highlights the words in the snippet', async () => {
      const inBody = await article({
        title: 'Moving house',
        body: 'Tell us your new address. If you paid in advance, we send a refund of the balance after the final reading.',
      });
      const inTitle = await article({
        title: 'Refunds after overpayment',
        body: 'When your payments were higher than your use, the difference comes back to you.',
      });
      const inTag = await article({ title: 'Payment plans', body: 'Spread a large bill.', tags: ['refund'] });

      const hits = await search('q=refund');
      expect(hits.map((hit) => hit.id)).toEqual([inTitle.id, inTag.id, inBody.id]);
      expect(hits[0]!.rank).toBeGreaterThan(hits[2]!.rank!);
      expect(hits[2]!.snippet).toContain('we send a <mark>refund</mark> of the balance');
    });

    it('finds other forms of a word (english stemming) and takes quoted phrases and exclusions', async () => {
      const meters = await article({ title: 'Smart meters', body: 'Smart meters read themselves every night.' });
      const gas = await article({ title: 'Gas meter reading', body: 'Read the gas meter yourself.' });
      expect((await search('q=metering')).map((hit) => hit.id)).toEqual(expect.arrayContaining([meters.id, gas.id]));
      expect((await search(`q=${encodeURIComponent('"gas meter"')}`)).map((hit) => hit.id)).toEqual([gas.id]);
      expect((await search(`q=${encodeURIComponent('meter -gas')}`)).map((hit) => hit.id)).toEqual([meters.id]);
      const [hit] = await search('q=reads');
      expect(hit!.snippet).toMatch(/<mark>read<\/mark>/i);
    });

    it("escapes the article's text: a snippet holds no HTML but the marks", async () => {
      await article({
        title: 'Pasting into letters',
        body: 'Never paste <script>alert("x")</script> or <img src=x onerror=alert(1)> into a letter. Use `<b>` for bold & keep 5 < 6 in mind when you paste.',
      });
      const [hit] = await search('q=paste');
      expect(hit!.snippet).toContain('<mark>paste</mark>');
      const withoutMarks = hit!.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '');
      expect(withoutMarks).not.toMatch(/[<>]/);
      expect(withoutMarks).toContain('&amp; keep 5 &lt; 6 in mind');
    });

    it('filters by category, visibility and status, leaving archived articles out unless asked', async () => {
      const category = (await (await t.signedIn(['manager'])).post('/api/knowledge/categories', { name: 'Quokkas' }))
        .body.id as string;
      const internal = await article({ title: 'Quokka care', body: 'Internal notes.', categoryId: category });
      const published = await article({ title: 'Quokka facts', body: 'Public.', visibility: 'public' }, 'publish');
      const archived = await article({ title: 'Quokka history', body: 'Old.' }, 'archive');

      const ids = async (query: string) => (await search(`q=quokka${query}`)).map((hit) => hit.id).sort();
      expect(await ids('')).toEqual([internal.id, published.id].sort());
      expect(await ids(`&categoryId=${category}`)).toEqual([internal.id]);
      expect(await ids('&visibility=public')).toEqual([published.id]);
      expect(await ids('&status=published')).toEqual([published.id]);
      expect(await ids('&status=archived')).toEqual([archived.id]);
    });

    it('pages by rank with ties broken by id, neither skipping nor repeating', async () => {
      const made: string[] = [];
      for (let n = 0; n < 5; n++) {
        made.push((await article({ title: `Wombat notice ${n}`, body: 'Same words.' })).id);
      }
      made.push((await article({ title: 'Wombat wombat', body: 'About the wombat.', tags: ['wombat'] })).id);
      const pages: Hit[][] = [];
      let cursor: string | null = null;
      do {
        const response: { body: { articles: Hit[]; nextCursor: string | null } } = await agent.get(
          `/api/knowledge/search?q=wombat&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        pages.push(response.body.articles);
        cursor = response.body.nextCursor;
      } while (cursor);
      const hits = pages.flat();
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
      expect(hits.map((hit) => hit.id).sort()).toEqual([...made].sort());
      expect(hits[0]!.title).toBe('Wombat wombat');
      const ties = hits.slice(1).map((hit) => hit.id!);
      expect(ties).toEqual([...ties].sort().reverse());
    });

    it('answers an empty list for words that are all stop words, and any input without failing', async () => {
      expect(await search('q=the')).toEqual([]);
      expect(await search(`q=${encodeURIComponent('"unterminated OR - & | ! :* <>')}`)).toEqual([]);
    });

    it('shows the help centre only public published articles, with escaped snippets', async () => {
      const shown = await article(
        { title: 'Platypus guide', body: 'A <b>platypus</b> lays eggs.', visibility: 'public' },
        'publish',
      );
      await article({ title: 'Platypus escalation', body: 'Internal platypus matters.' }, 'publish');
      await article({ title: 'Platypus draft', body: 'Not ready.', visibility: 'public' });

      const response = await t.client().get('/api/help/search?q=platypus');
      expect(response.status).toBe(200);
      expect(response.body.articles).toEqual([
        {
          slug: shown.slug,
          title: 'Platypus guide',
          categoryId: null,
          categoryName: null,
          updatedAt: expect.any(String),
          snippet: 'A <mark>platypus</mark> lays eggs',
        },
      ]);
    });
  });
}
