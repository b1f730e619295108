import { Area } from '../ui/area-tabs.js';
import { DocumentPage } from './document-page.js';
import { DocumentsPage } from './documents-page.js';
import './documents.css';

/** Everything under /documents: the folders and their documents, and one document's page. */
export function DocumentsArea() {
  return <Area base="/documents" pages={[{ page: <DocumentsPage /> }, { path: ':id', page: <DocumentPage /> }]} />;
}
