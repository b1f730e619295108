import { AppError } from '../shared/errors.js';
import type { ArticleStatus, ArticleVisibility } from './knowledge.tables.js';

export const articleActions = ['publish', 'unpublish', 'archive', 'unarchive'] as const;
export type ArticleAction = (typeof articleActions)[number];

/** draft ⇄ published; either may be archived, and an archived article comes back as a draft. */
const transitions: Record<ArticleAction, { from: ArticleStatus[]; to: ArticleStatus }> = {
  publish: { from: ['draft'], to: 'published' },
  unpublish: { from: ['published'], to: 'draft' },
  archive: { from: ['draft', 'published'], to: 'archived' },
  unarchive: { from: ['archived'], to: 'draft' },
};

/** The actions an article in this status offers, in the order the UI shows them. */
export const actionsFrom = (status: ArticleStatus) =>
  articleActions.filter((action) => transitions[action].from.includes(status));

/** The status an article moves to, or the reason it may not. */
export function nextArticleStatus(action: ArticleAction, article: { status: ArticleStatus; slug: string }) {
  const transition = transitions[action];
  if (!transition.from.includes(article.status)) {
    throw new AppError(
      'conflict',
      'knowledge.wrong_status',
      `The article ${article.slug} is ${article.status}; "${action}" applies only to an article that is ${transition.from.join(' or ')}.`,
    );
  }
  return transition.to;
}

/** What the help centre shows: public articles that are published, nothing else. */
export const inHelpCentre = (article: { visibility: ArticleVisibility; status: ArticleStatus }) =>
  article.visibility === 'public' && article.status === 'published';

/** An archived article is kept as it was; bring it back as a draft to change it. */
export function assertEditable(article: { status: ArticleStatus; slug: string }) {
  if (article.status === 'archived') {
    throw new AppError(
      'conflict',
      'knowledge.archived',
      `The article ${article.slug} is archived; unarchive it before changing it.`,
    );
  }
}

/** A published article's slug is its public address, which links in sent replies point at. */
export function assertSlugChangeable(article: { status: ArticleStatus; slug: string }) {
  if (article.status === 'published') {
    throw new AppError(
      'conflict',
      'knowledge.slug_published',
      `The article ${article.slug} is published under this address; unpublish it before changing its slug.`,
      [{ path: 'body.slug', message: 'cannot change while the article is published' }],
    );
  }
}
