import { Area } from '../ui/area-tabs.js';
import { ArticlePage } from './article-page.js';
import { KnowledgePage } from './knowledge-page.js';
import './knowledge.css';

/** Everything under /knowledge: the articles with search, and the editor. */
export function KnowledgeArea() {
  return (
    <Area
      base="/knowledge"
      pages={[
        { page: <KnowledgePage /> },
        { path: 'new', page: <ArticlePage /> },
        { path: ':id', page: <ArticlePage /> },
      ]}
    />
  );
}
