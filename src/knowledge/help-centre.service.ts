import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError } from '../shared/errors.js';
import { helpArticlePath, renderArticle } from './article-text.js';
import type { HelpListQuery, HelpSearchQuery } from './help-centre.schemas.js';
import { searchArticles } from './knowledge-search.js';
import { knowledgeArticles, knowledgeCategories, knowledgeFeedback } from './knowledge.tables.js';

export type HelpCentreService = ReturnType<typeof createHelpCentreService>;

/**
 * Every question the help centre asks is limited to this: public articles that are published
 * (`inHelpCentre` in article-lifecycle.ts, as a condition). Internal and draft articles, and categories holding only
 * those, do not exist for it.
 */
const shownInHelpCentre = and(eq(knowledgeArticles.visibility, 'public'), eq(knowledgeArticles.status, 'published'));

const summaryFields = {
  slug: knowledgeArticles.slug,
  title: knowledgeArticles.title,
  categoryId: knowledgeArticles.categoryId,
  categoryName: knowledgeCategories.name,
  updatedAt: knowledgeArticles.updatedAt,
};

const byTitle = keyset(
  [
    { expression: knowledgeArticles.title, type: 'text' },
    { expression: knowledgeArticles.id, type: 'uuid' },
  ],
  'asc',
);

const noSuchArticle = (slug: string) =>
  new AppError('not_found', 'help.article_not_found', `There is no help article at ${helpArticlePath(slug)}.`);

/** The public side of the knowledge base, for the portal's help centre: no caller, nothing to authorize. */
export function createHelpCentreService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /** Categories that hold at least one article the help centre shows, in their order. */
    async categories() {
      return db
        .select({
          id: knowledgeCategories.id,
          name: knowledgeCategories.name,
          articleCount: sql<number>`count(*)::int`,
        })
        .from(knowledgeCategories)
        .innerJoin(knowledgeArticles, and(eq(knowledgeArticles.categoryId, knowledgeCategories.id), shownInHelpCentre))
        .groupBy(knowledgeCategories.id)
        .orderBy(asc(knowledgeCategories.position), asc(knowledgeCategories.name));
    },

    /** Articles by title, in one category or all. */
    async list(query: HelpListQuery) {
      const rows = await db
        .select({ ...summaryFields, position: byTitle.position })
        .from(knowledgeArticles)
        .leftJoin(knowledgeCategories, eq(knowledgeCategories.id, knowledgeArticles.categoryId))
        .where(
          and(
            shownInHelpCentre,
            query.categoryId ? eq(knowledgeArticles.categoryId, query.categoryId) : undefined,
            byTitle.after(query.cursor),
          ),
        )
        .orderBy(...byTitle.orderBy)
        .limit(query.limit + 1);
      const page = byTitle.page(rows, query.limit);
      return { articles: page.rows, nextCursor: page.nextCursor };
    },

    async search(query: HelpSearchQuery) {
      return searchArticles(db, query, () => summaryFields, [
        shownInHelpCentre,
        query.categoryId ? eq(knowledgeArticles.categoryId, query.categoryId) : undefined,
      ]);
    },

    async read(slug: string) {
      const [row] = await db
        .select({ ...summaryFields, body: knowledgeArticles.body })
        .from(knowledgeArticles)
        .leftJoin(knowledgeCategories, eq(knowledgeCategories.id, knowledgeArticles.categoryId))
        .where(and(shownInHelpCentre, eq(knowledgeArticles.slug, slug)));
      if (!row) throw noSuchArticle(slug);
      const { body, ...summary } = row;
      return { ...summary, path: helpArticlePath(slug), html: renderArticle(body).html };
    },

    /**
     * "Did this answer your question?": one vote adds one to today's count of the article, in one
     * statement; nothing else is written, whoever asks and however often.
     */
    async feedback(slug: string, helpful: boolean) {
      const day = clock.now().toISOString().slice(0, 10);
      const [counted] = await db
        .insert(knowledgeFeedback)
        .select(
          db
            .select({
              articleId: knowledgeArticles.id,
              day: sql`${day}::date`.as('day'),
              helpful: sql`${helpful ? 1 : 0}::int`.as('helpful'),
              notHelpful: sql`${helpful ? 0 : 1}::int`.as('not_helpful'),
              notDeflected: sql`0`.as('not_deflected'),
            })
            .from(knowledgeArticles)
            .where(and(shownInHelpCentre, eq(knowledgeArticles.slug, slug))),
        )
        .onConflictDoUpdate({
          target: [knowledgeFeedback.articleId, knowledgeFeedback.day],
          set: {
            helpful: sql`${knowledgeFeedback.helpful} + excluded.helpful`,
            notHelpful: sql`${knowledgeFeedback.notHelpful} + excluded.not_helpful`,
          },
        })
        .returning({ articleId: knowledgeFeedback.articleId });
      if (!counted) throw noSuchArticle(slug);
    },

    /**
     * A request opened from the article ("Still need help?"): it did not deflect that one. Adds one
     * to today's count of the article, in one statement; false when the help centre does not show it.
     */
    async notDeflected(slug: string): Promise<boolean> {
      const day = clock.now().toISOString().slice(0, 10);
      const counted = await db
        .insert(knowledgeFeedback)
        .select(
          db
            .select({
              articleId: knowledgeArticles.id,
              day: sql`${day}::date`.as('day'),
              helpful: sql`0`.as('helpful'),
              notHelpful: sql`0`.as('not_helpful'),
              notDeflected: sql`1`.as('not_deflected'),
            })
            .from(knowledgeArticles)
            .where(and(shownInHelpCentre, eq(knowledgeArticles.slug, slug))),
        )
        .onConflictDoUpdate({
          target: [knowledgeFeedback.articleId, knowledgeFeedback.day],
          set: { notDeflected: sql`${knowledgeFeedback.notDeflected} + 1` },
        })
        .returning({ articleId: knowledgeFeedback.articleId });
      return counted.length > 0;
    },
  };
}
