import type { ArticleAction } from '../../../src/knowledge/article-lifecycle.js';
import type { ArticleStatus, ArticleVisibility } from '../../../src/knowledge/knowledge.tables.js';
import { labelsOf } from '../ui/vocabulary.js';

export type { ArticleAction, ArticleStatus, ArticleVisibility };

// Labels keyed by the server's own unions: a value added there fails the type check here.
export const articleVisibilities = ['internal', 'public'] as const;
export const visibilityLabels: Record<ArticleVisibility, string> = labelsOf(articleVisibilities, {
  internal: 'Internal (staff only)',
  public: 'Public (help centre)',
});

export const articleStatuses = ['draft', 'published', 'archived'] as const;
export const articleStatusLabels: Record<ArticleStatus, string> = labelsOf(articleStatuses);

export const articleActionLabels: Record<ArticleAction, string> = labelsOf(
  ['publish', 'unpublish', 'archive', 'unarchive'],
  { unpublish: 'Back to draft', unarchive: 'Restore from archive' },
);
