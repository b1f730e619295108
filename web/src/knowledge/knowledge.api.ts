import type { BodyOf, QueryOf, ResponseOf } from '../api/api-types.js';
import { api, withQuery } from '../api/client.js';

// Titles and category names are collated text columns, which the OpenAPI document leaves untyped
// (`unknown`); they are strings.
type Named<T, K extends keyof T> = Omit<T, K> & { [key in K]: string };

export type ArticleSummary = Named<ResponseOf<'/api/knowledge/articles'>['articles'][number], 'title'>;
export type SearchHit = Named<ResponseOf<'/api/knowledge/search'>['articles'][number], 'title'>;
export type Article = Named<ResponseOf<'/api/knowledge/articles/{id}'>, 'title'>;
export type ArticleVersion = ResponseOf<'/api/knowledge/articles/{id}/versions'>['versions'][number];
export type Category = Named<ResponseOf<'/api/knowledge/categories'>['categories'][number], 'name'>;

export type NewArticle = BodyOf<'/api/knowledge/articles', 'post'>;
export type ArticleChange = BodyOf<'/api/knowledge/articles/{id}', 'patch'>;
export type NewVersion = BodyOf<'/api/knowledge/articles/{id}/versions', 'post'>;
export type ArticleFilters = Omit<QueryOf<'/api/knowledge/articles'>, 'cursor' | 'limit'>;

export const ARTICLE_PAGE_SIZE = 50;

const articlePath = (id: string) => `/api/knowledge/articles/${encodeURIComponent(id)}`;

export const knowledgeApi = {
  listPath: (filters: ArticleFilters) => withQuery('/api/knowledge/articles', { ...filters, limit: ARTICLE_PAGE_SIZE }),
  searchPath: (q: string, filters: ArticleFilters) => withQuery('/api/knowledge/search', { q, ...filters }),
  categoriesPath: '/api/knowledge/categories',
  articlePath,
  versionsPath: (id: string) => `${articlePath(id)}/versions`,

  create: (article: NewArticle) => api.post<Article>('/api/knowledge/articles', article),
  update: (id: string, change: ArticleChange) => api.patch<Article>(articlePath(id), change),
  saveVersion: (id: string, version: NewVersion) => api.post<ArticleVersion>(`${articlePath(id)}/versions`, version),
  restore: (id: string, number: number, baseVersion: number) =>
    api.post<ArticleVersion>(`${articlePath(id)}/versions/${number}/restore`, { baseVersion }),
  act: (id: string, action: Article['actions'][number]) => api.post<Article>(`${articlePath(id)}/actions`, { action }),
};
