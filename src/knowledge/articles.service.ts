import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import {
  actionsFrom,
  assertEditable,
  assertSlugChangeable,
  inHelpCentre,
  nextArticleStatus,
  type ArticleAction,
} from './article-lifecycle.js';
import { assertSlugFree, freeSlug } from './article-slugs.js';
import { helpArticlePath, plainText, renderArticle } from './article-text.js';
import { searchArticles } from './knowledge-search.js';
import type {
  CreateArticleInput,
  ListArticlesQuery,
  RestoreVersionInput,
  SaveVersionInput,
  SearchArticlesQuery,
  UpdateArticleInput,
} from './knowledge.schemas.js';
import {
  knowledgeArticles,
  knowledgeArticleVersions,
  knowledgeCategories,
  knowledgeFeedback,
  type ArticleStatus,
} from './knowledge.tables.js';

export type KnowledgeArticlesService = ReturnType<typeof createKnowledgeArticlesService>;

type Content = { title: string; tags: string[]; body: string };

/** What lists show of an article: everything but the body and the search columns. */
const { body: _body, bodyText: _bodyText, search: _search, ...summaryColumns } = getTableColumns(knowledgeArticles);
const summaryFields = { ...summaryColumns, categoryName: knowledgeCategories.name };
/** An article's columns without what search keeps for itself. */
const articleColumns = { ...summaryColumns, body: knowledgeArticles.body };
type Article = Omit<typeof knowledgeArticles.$inferSelect, 'bodyText' | 'search'>;

const recentlyChanged = keyset(
  [
    { expression: knowledgeArticles.updatedAt, type: 'timestamptz' },
    { expression: knowledgeArticles.id, type: 'uuid' },
  ],
  'desc',
);
const newestVersionFirst = keyset([{ expression: knowledgeArticleVersions.number, type: 'bigint' }], 'desc');

const auditActions: Record<ArticleAction, string> = {
  publish: 'published',
  unpublish: 'unpublished',
  archive: 'archived',
  unarchive: 'unarchived',
};

/** Without a status filter, staff lists leave archived articles out. */
const statusCondition = (status: ArticleStatus | undefined) =>
  status ? eq(knowledgeArticles.status, status) : inArray(knowledgeArticles.status, ['draft', 'published']);

const invalidArticle = (path: string, message: string) =>
  new AppError('validation_failed', 'knowledge.invalid', `The article is not valid: ${path} ${message}.`, [
    { path: `body.${path}`, message },
  ]);

/**
 * Knowledge-base articles for staff: Markdown with a title and tags, saved as immutable numbered
 * versions (the current one is what readers and search see, any one can be restored as a new
 * version), placed in a category, internal or public, draft, published or archived by the
 * lifecycle's table. Every change is audited in its transaction.
 */
export function createKnowledgeArticlesService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  async function load(executor: Executor, id: string, forUpdate = false): Promise<Article> {
    const query = executor.select(articleColumns).from(knowledgeArticles).where(eq(knowledgeArticles.id, id));
    const [article] = forUpdate ? await query.for('update') : await query;
    if (!article) throw notFound('article', id);
    return article;
  }

  /** An article as the API shows it: with its category's name, the actions it allows and what readers thought. */
  async function present(executor: Executor, id: string) {
    const [row] = await executor
      .select({
        article: articleColumns,
        categoryName: knowledgeCategories.name,
        helpful: sql<number>`coalesce((select sum(${knowledgeFeedback.helpful}) from ${knowledgeFeedback} where ${knowledgeFeedback.articleId} = ${knowledgeArticles.id}), 0)::int`,
        notHelpful: sql<number>`coalesce((select sum(${knowledgeFeedback.notHelpful}) from ${knowledgeFeedback} where ${knowledgeFeedback.articleId} = ${knowledgeArticles.id}), 0)::int`,
        notDeflected: sql<number>`coalesce((select sum(${knowledgeFeedback.notDeflected}) from ${knowledgeFeedback} where ${knowledgeFeedback.articleId} = ${knowledgeArticles.id}), 0)::int`,
      })
      .from(knowledgeArticles)
      .leftJoin(knowledgeCategories, eq(knowledgeCategories.id, knowledgeArticles.categoryId))
      .where(eq(knowledgeArticles.id, id));
    if (!row) throw notFound('article', id);
    const { article } = row;
    return {
      ...article,
      categoryName: row.categoryName,
      actions: actionsFrom(article.status),
      publicPath: inHelpCentre(article) ? helpArticlePath(article.slug) : null,
      helpful: row.helpful,
      notHelpful: row.notHelpful,
      notDeflected: row.notDeflected,
    };
  }

  async function checkCategory(executor: Executor, categoryId: string | null | undefined) {
    if (!categoryId) return;
    const [category] = await executor
      .select({ id: knowledgeCategories.id })
      .from(knowledgeCategories)
      .where(eq(knowledgeCategories.id, categoryId));
    if (!category) throw invalidArticle('categoryId', `names no category (${categoryId})`);
  }

  /** Version `number` of an article, written once and never changed. */
  async function insertVersion(
    tx: Executor,
    actor: Actor,
    articleId: string,
    number: number,
    content: Content,
    note: { changeNote: string; restoredFrom?: number },
  ) {
    const [version] = await tx
      .insert(knowledgeArticleVersions)
      .values({
        articleId,
        number,
        ...content,
        changeNote: note.changeNote,
        restoredFrom: note.restoredFrom,
        authorId: actor.kind === 'user' ? actor.userId : null,
        author: actorLabel(actor),
        createdAt: clock.now(),
      })
      .returning();
    return version!;
  }

  /** A new version of the article, which becomes its current content. */
  async function saveNewVersion(
    tx: Executor,
    actor: Actor,
    article: Article,
    content: Content,
    note: { changeNote: string; restoredFrom?: number },
  ) {
    const version = await insertVersion(tx, actor, article.id, article.currentVersion + 1, content, note);
    await tx
      .update(knowledgeArticles)
      .set({
        ...content,
        bodyText: plainText(content.body),
        currentVersion: version.number,
        updatedAt: version.createdAt,
      })
      .where(eq(knowledgeArticles.id, article.id));
    return version;
  }

  /** The saved article under a row lock, refusing a save that started from an older version than the current one. */
  async function loadForSave(tx: Executor, id: string, baseVersion: number | undefined) {
    const article = await load(tx, id, true);
    assertEditable(article);
    if (baseVersion !== undefined && baseVersion !== article.currentVersion) {
      throw new AppError(
        'conflict',
        'knowledge.version_conflict',
        `Version ${article.currentVersion} was saved since you opened version ${baseVersion}; reload to see it before saving.`,
        [{ path: 'body.baseVersion', message: `is not the current version (${article.currentVersion})` }],
      );
    }
    return article;
  }

  return {
    async list(actor: Actor, query: ListArticlesQuery) {
      authorize(actor, 'knowledge.read');
      const rows = await db
        .select({ ...summaryFields, position: recentlyChanged.position })
        .from(knowledgeArticles)
        .leftJoin(knowledgeCategories, eq(knowledgeCategories.id, knowledgeArticles.categoryId))
        .where(
          and(
            query.categoryId ? eq(knowledgeArticles.categoryId, query.categoryId) : undefined,
            query.visibility ? eq(knowledgeArticles.visibility, query.visibility) : undefined,
            statusCondition(query.status),
            recentlyChanged.after(query.cursor),
          ),
        )
        .orderBy(...recentlyChanged.orderBy)
        .limit(query.limit + 1);
      const page = recentlyChanged.page(rows, query.limit);
      return { articles: page.rows, nextCursor: page.nextCursor };
    },

    /** Best match first (title over tags over body), with a highlighted snippet of the body. */
    async search(actor: Actor, query: SearchArticlesQuery) {
      authorize(actor, 'knowledge.read');
      return searchArticles(db, query, (search) => ({ ...summaryFields, rank: search.rank }), [
        query.categoryId ? eq(knowledgeArticles.categoryId, query.categoryId) : undefined,
        query.visibility ? eq(knowledgeArticles.visibility, query.visibility) : undefined,
        statusCondition(query.status),
      ]);
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'knowledge.read');
      return present(db, id);
    },

    async create(actor: Actor, input: CreateArticleInput) {
      authorize(actor, 'knowledge.write');
      return db.transaction(async (tx) => {
        await checkCategory(tx, input.categoryId);
        if (input.slug) await assertSlugFree(tx, input.slug);
        const slug = input.slug ?? (await freeSlug(tx, input.title));
        const now = clock.now();
        const content = { title: input.title, tags: input.tags, body: input.body };
        const [created] = await tx
          .insert(knowledgeArticles)
          .values({
            slug,
            categoryId: input.categoryId,
            visibility: input.visibility,
            currentVersion: 1,
            ...content,
            bodyText: plainText(input.body),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await insertVersion(tx, actor, created!.id, 1, content, { changeNote: input.changeNote });
        await audit.record(tx, actor, {
          action: 'knowledge_article.created',
          entityType: 'knowledge_article',
          entityId: created!.id,
          summary: { slug, title: input.title, visibility: input.visibility, categoryId: input.categoryId ?? null },
        });
        return present(tx, created!.id);
      });
    },

    /** Where the article sits and who may read it: slug, category, visibility. Not versioned; audited field by field. */
    async update(actor: Actor, id: string, change: UpdateArticleInput) {
      authorize(actor, 'knowledge.write');
      return db.transaction(async (tx) => {
        const article = await load(tx, id, true);
        assertEditable(article);
        if (change.slug !== undefined && change.slug !== article.slug) {
          assertSlugChangeable(article);
          await assertSlugFree(tx, change.slug, id);
        }
        await checkCategory(tx, change.categoryId);
        const [updated] = await tx
          .update(knowledgeArticles)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(knowledgeArticles.id, id))
          .returning();
        const settings = (row: Article) => ({ slug: row.slug, categoryId: row.categoryId, visibility: row.visibility });
        await audit.record(tx, actor, {
          action: 'knowledge_article.updated',
          entityType: 'knowledge_article',
          entityId: id,
          summary: { fieldChanges: fieldChanges(settings(article), settings(updated!)) },
        });
        return present(tx, id);
      });
    },

    /** Every save is a new version, which readers see at once if the article is published. */
    async saveVersion(actor: Actor, id: string, input: SaveVersionInput) {
      authorize(actor, 'knowledge.write');
      return db.transaction(async (tx) => {
        const article = await loadForSave(tx, id, input.baseVersion);
        const version = await saveNewVersion(
          tx,
          actor,
          article,
          { title: input.title, tags: input.tags, body: input.body },
          { changeNote: input.changeNote },
        );
        await audit.record(tx, actor, {
          action: 'knowledge_article.version_saved',
          entityType: 'knowledge_article',
          entityId: id,
          summary: { version: version.number, title: version.title, changeNote: version.changeNote },
        });
        return version;
      });
    },

    /** An older version's content saved again as the newest version; nothing is rewritten. */
    async restore(actor: Actor, id: string, number: number, input: RestoreVersionInput) {
      authorize(actor, 'knowledge.write');
      return db.transaction(async (tx) => {
        const article = await loadForSave(tx, id, input.baseVersion);
        const [old] = await tx
          .select()
          .from(knowledgeArticleVersions)
          .where(and(eq(knowledgeArticleVersions.articleId, id), eq(knowledgeArticleVersions.number, number)));
        if (!old) throw notFound('version', number);
        const version = await saveNewVersion(
          tx,
          actor,
          article,
          { title: old.title, tags: old.tags, body: old.body },
          { changeNote: input.changeNote ?? `Restored version ${number}`, restoredFrom: number },
        );
        await audit.record(tx, actor, {
          action: 'knowledge_article.version_restored',
          entityType: 'knowledge_article',
          entityId: id,
          summary: { version: version.number, restoredFrom: number, changeNote: version.changeNote },
        });
        return version;
      });
    },

    async versions(actor: Actor, id: string, query: { cursor?: string; limit: number }) {
      authorize(actor, 'knowledge.read');
      await load(db, id);
      const { body: _versionBody, ...columns } = getTableColumns(knowledgeArticleVersions);
      const rows = await db
        .select({ ...columns, position: newestVersionFirst.position })
        .from(knowledgeArticleVersions)
        .where(and(eq(knowledgeArticleVersions.articleId, id), newestVersionFirst.after(query.cursor)))
        .orderBy(...newestVersionFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestVersionFirst.page(rows, query.limit);
      return { versions: page.rows, nextCursor: page.nextCursor };
    },

    async version(actor: Actor, id: string, number: number) {
      authorize(actor, 'knowledge.read');
      const [version] = await db
        .select()
        .from(knowledgeArticleVersions)
        .where(and(eq(knowledgeArticleVersions.articleId, id), eq(knowledgeArticleVersions.number, number)));
      if (!version) throw notFound('version', `${number} of article ${id}`);
      return version;
    },

    async act(actor: Actor, id: string, action: ArticleAction) {
      authorize(actor, 'knowledge.write');
      return db.transaction(async (tx) => {
        const article = await load(tx, id, true);
        const status = nextArticleStatus(action, article);
        await tx
          .update(knowledgeArticles)
          .set({ status, updatedAt: clock.now(), ...(action === 'publish' ? { publishedAt: clock.now() } : {}) })
          .where(eq(knowledgeArticles.id, id));
        await audit.record(tx, actor, {
          action: `knowledge_article.${auditActions[action]}`,
          entityType: 'knowledge_article',
          entityId: id,
          summary: { slug: article.slug, from: article.status, to: status, version: article.currentVersion },
        });
        return present(tx, id);
      });
    },

    /**
     * What an agent puts into a reply: the current text as Markdown, sanitized HTML and plain text,
     * and the help-centre address where a customer can read it (only while public and published).
     */
    async replyContent(actor: Actor, id: string) {
      authorize(actor, 'knowledge.read');
      const article = await load(db, id);
      return {
        articleId: article.id,
        title: article.title,
        visibility: article.visibility,
        publicPath: inHelpCentre(article) ? helpArticlePath(article.slug) : null,
        markdown: article.body,
        ...renderArticle(article.body),
      };
    },
  };
}
