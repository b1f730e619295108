import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { articleSummaryResponse, searchPageSize, searchWords, slugSchema, snippet } from './knowledge.schemas.js';

/** What anyone may see of an article: no status, visibility, tags, authors or feedback. */
export const helpArticleSummaryResponse = articleSummaryResponse
  .pick({ slug: true, title: true, categoryId: true, categoryName: true, updatedAt: true })
  .describe('HelpArticleSummary');

export const helpArticleResponse = helpArticleSummaryResponse
  .extend({ path: z.string().describe('/help/articles/<slug>'), html: z.string().describe('Sanitized HTML') })
  .describe('HelpArticle');

export const helpCategoryResponse = z
  .object({ id: z.uuid(), name: z.string(), articleCount: z.number().int() })
  .describe('HelpCategory');

export const helpSlugParam = z.strictObject({ slug: slugSchema });

export const helpListQuery = z.strictObject({
  categoryId: z.uuid().optional(),
  cursor: cursorParam,
  limit: pageSize,
});
export type HelpListQuery = z.infer<typeof helpListQuery>;

export const helpSearchQuery = z.strictObject({
  q: searchWords,
  categoryId: z.uuid().optional(),
  cursor: cursorParam,
  limit: searchPageSize,
});
export type HelpSearchQuery = z.infer<typeof helpSearchQuery>;

export const helpArticlesPageResponse = z.object({ articles: z.array(helpArticleSummaryResponse), nextCursor });

export const helpSearchResponse = z.object({
  articles: z.array(helpArticleSummaryResponse.extend({ snippet })),
  nextCursor,
});

export const feedbackBody = z.strictObject({ helpful: z.boolean().describe('Did this answer your question?') });
