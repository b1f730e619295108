import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { articleActions } from './article-lifecycle.js';
import { slugMaxLength, slugPattern } from './article-text.js';
import {
  articleStatuses,
  articleVisibilities,
  knowledgeArticles,
  knowledgeArticleVersions,
  knowledgeCategories,
} from './knowledge.tables.js';

export const slugSchema = z
  .string()
  .max(slugMaxLength)
  .regex(slugPattern, 'must be lower-case letters and digits in words joined by hyphens')
  .describe('The public address: /help/articles/<slug>');

const title = z.string().trim().min(1).max(200);
const tags = z.array(z.string().trim().min(1).max(50)).max(20);
const markdown = z.string().max(200_000).describe('Markdown');
const changeNote = z.string().trim().max(500);
const versionNumber = z.coerce.number().int().min(1).max(2_147_483_647);
const baseVersion = versionNumber
  .optional()
  .describe('The version the editor started from; a save over a newer version is refused (409)');

/** Words as typed into a search box: "quoted phrases", or, -excluded. */
export const searchWords = z.string().trim().min(1).max(200).describe('Words, "a phrase", or, -without');
export const searchPageSize = z.coerce.number().int().min(1).max(100).default(20);

// Categories

export const categoryBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  position: z.coerce.number().int().min(0).max(10_000).optional().describe('Smaller first; new ones go last'),
});
export type CategoryInput = z.infer<typeof categoryBody>;

export const categoryResponse = createSelectSchema(knowledgeCategories)
  .pick({ id: true, name: true, position: true })
  .extend({ articleCount: z.number().int().describe('Articles in it, archived ones aside') })
  .describe('KnowledgeCategory');

// Articles

export const createArticleBody = z.strictObject({
  title,
  slug: slugSchema.optional().describe('Made from the title when left out'),
  categoryId: z.uuid().optional(),
  visibility: z
    .enum(articleVisibilities)
    .default('internal')
    .describe('public: shown in the help centre once published'),
  tags: tags.default([]),
  body: markdown,
  changeNote: changeNote.default(''),
});
export type CreateArticleInput = z.infer<typeof createArticleBody>;

export const updateArticleBody = z
  .strictObject({
    slug: slugSchema.describe('Only while the article is not published'),
    categoryId: z.uuid().nullable(),
    visibility: z.enum(articleVisibilities),
  })
  .partial();
export type UpdateArticleInput = z.infer<typeof updateArticleBody>;

export const saveVersionBody = z.strictObject({
  title,
  tags,
  body: markdown,
  changeNote: changeNote.default(''),
  baseVersion,
});
export type SaveVersionInput = z.infer<typeof saveVersionBody>;

export const restoreVersionBody = z.strictObject({
  changeNote: changeNote.optional().describe('Says "Restored version <n>" when left out'),
  baseVersion,
});
export type RestoreVersionInput = z.infer<typeof restoreVersionBody>;

export const articleActionBody = z.strictObject({ action: z.enum(articleActions) });

export const articleVersionParams = z.strictObject({ id: z.uuid(), number: versionNumber });

const articleFilters = {
  categoryId: z.uuid().optional(),
  visibility: z.enum(articleVisibilities).optional(),
  status: z.enum(articleStatuses).optional().describe('Archived articles only show when asked for'),
};

export const listArticlesQuery = z.strictObject({ ...articleFilters, cursor: cursorParam, limit: pageSize });
export type ListArticlesQuery = z.infer<typeof listArticlesQuery>;

export const searchArticlesQuery = z.strictObject({
  q: searchWords,
  ...articleFilters,
  cursor: cursorParam,
  limit: searchPageSize,
});
export type SearchArticlesQuery = z.infer<typeof searchArticlesQuery>;

export const listVersionsQuery = z.strictObject({ cursor: cursorParam, limit: pageSize });

const articleColumns = createSelectSchema(knowledgeArticles)
  .omit({ search: true, bodyText: true })
  .extend({ visibility: z.enum(articleVisibilities), status: z.enum(articleStatuses) });

export const articleSummaryResponse = articleColumns
  .omit({ body: true })
  .extend({ categoryName: z.string().nullable() })
  .describe('KnowledgeArticleSummary');

export const articleResponse = articleColumns
  .extend({
    categoryName: z.string().nullable(),
    actions: z.array(z.enum(articleActions)).describe('The status changes this article allows now'),
    publicPath: z.string().nullable().describe('Its help-centre address while public and published'),
    helpful: z.number().int().describe('Help-centre readers it answered'),
    notHelpful: z.number().int().describe('Help-centre readers it did not answer'),
    notDeflected: z.number().int().describe('Requests opened in the portal from it: readers it did not spare one'),
  })
  .describe('KnowledgeArticle');

export const articlesPageResponse = z.object({ articles: z.array(articleSummaryResponse), nextCursor });

export const snippet = z.string().describe("HTML: the article's text escaped, the matched words in <mark>");

export const searchResultsResponse = z.object({
  articles: z.array(articleSummaryResponse.extend({ rank: z.number(), snippet })),
  nextCursor,
});

export const versionResponse = createSelectSchema(knowledgeArticleVersions).describe('KnowledgeArticleVersion');

export const versionsPageResponse = z.object({
  versions: z.array(versionResponse.omit({ body: true })),
  nextCursor,
});

export const replyContentResponse = z
  .object({
    articleId: z.uuid(),
    title: z.string(),
    visibility: z.enum(articleVisibilities),
    publicPath: z.string().nullable().describe('Null unless public and published: a customer could not open it'),
    markdown: z.string(),
    html: z.string().describe('Sanitized HTML'),
    text: z.string(),
  })
  .describe('KnowledgeReplyContent');
