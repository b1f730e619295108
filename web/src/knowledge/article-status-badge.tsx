import { articleStatusLabels, type ArticleStatus } from './knowledge-vocabulary.js';

export function ArticleStatusBadge({ status }: { status: ArticleStatus }) {
  return <span className={`badge kb-status kb-status-${status}`}>{articleStatusLabels[status]}</span>;
}
