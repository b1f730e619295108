import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { ArticlePage } from './article-page.js';
import { KnowledgePage } from './knowledge-page.js';
import './knowledge.css';

/** Everything under /knowledge: the articles with search, and the editor. */
export function KnowledgeArea() {
  return (
    <Routes>
      <Route index element={<KnowledgePage />} />
      <Route path="new" element={<ArticlePage />} />
      <Route path=":id" element={<ArticlePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
