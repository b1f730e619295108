import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.js';

export const articleVisibilities = ['internal', 'public'] as const;
export type ArticleVisibility = (typeof articleVisibilities)[number];

export const articleStatuses = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** Titles and category names sort by language rules on both engines, as customer names do. */
const languageSortedText = customType<{ data: string }>({ dataType: () => 'text collate "und-x-icu"' });

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const emptyArray = sql`'{}'::text[]`;

/** How the help centre and the editor group articles; `position` orders them. */
export const knowledgeCategories = pgTable('knowledge_categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: languageSortedText('name').notNull().unique(),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An article and a copy of its current version's content, which is what readers and search see.
 * The versions themselves are immutable rows in `knowledge_article_versions`.
 */
export const knowledgeArticles = pgTable(
  'knowledge_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The public address: /help/articles/<slug>. */
    slug: text('slug').notNull().unique(),
    categoryId: uuid('category_id').references(() => knowledgeCategories.id),
    visibility: text('visibility').$type<ArticleVisibility>().notNull().default('internal'),
    status: text('status').$type<ArticleStatus>().notNull().default('draft'),
    currentVersion: integer('current_version').notNull(),
    title: languageSortedText('title').notNull(),
    tags: text('tags').array().notNull().default(emptyArray),
    /** Markdown. */
    body: text('body').notNull(),
    /** The body as plain text: what search indexes and cuts snippets from. */
    bodyText: text('body_text').notNull(),
    /**
     * Title (weight A), tags (B) and body text (C) under the 'english' text search configuration;
     * the function is defined by the migration (a generated column needs an immutable expression).
     */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`knowledge_search_vector(title, tags, body_text)`),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('knowledge_articles_search_idx').using('gin', table.search),
    index('knowledge_articles_updated_idx').on(table.updatedAt, table.id),
    // The help centre's lists: public, published, by category and title.
    index('knowledge_articles_help_idx')
      .on(table.categoryId, table.title, table.id)
      .where(sql`visibility = 'public' and status = 'published'`),
  ],
);

/** Every save of an article; never changed once written. Restoring one writes a new version. */
export const knowledgeArticleVersions = pgTable(
  'knowledge_article_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    tags: text('tags').array().notNull().default(emptyArray),
    body: text('body').notNull(),
    changeNote: text('change_note').notNull().default(''),
    /** The version whose content this one brought back, when it was a restore. */
    restoredFrom: integer('restored_from'),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    author: text('author').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex('knowledge_article_versions_number_idx').on(table.articleId, table.number)],
);

/**
 * "Did this answer your question?", counted per article and day, beside the requests the article did
 * not spare: a vote or a request is one upsert, the table grows by at most one row per article a
 * day, and a KPI can ask for any period.
 */
export const knowledgeFeedback = pgTable(
  'knowledge_feedback',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id),
    day: date('day', { mode: 'string' }).notNull(),
    helpful: integer('helpful').notNull().default(0),
    notHelpful: integer('not_helpful').notNull().default(0),
    /** Requests opened in the portal from the article ("still need help?"): it did not deflect them. */
    notDeflected: integer('not_deflected').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.articleId, table.day] })],
);
