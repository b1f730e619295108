import { useSession } from '../auth/session.js';
import { Area } from '../ui/area-tabs.js';
import { may } from '../ui/permissions.js';
import { DocumentPage } from './document-page.js';
import { DocumentsPage } from './documents-page.js';
import { MyReviewsPage } from './review/my-reviews-page.js';
import { DocumentTypesPage } from './types/document-types-page.js';
import { SearchPage } from '../search/search-page.js';
import './review/review.css';
import './types/types.css';
import './documents.css';

/** Everything under /documents: the folders and their documents, one document's page, reviews and types. */
export function DocumentsArea() {
  const { user } = useSession();
  const reviews = user !== null && may(user, 'documents.review');
  return (
    <Area
      label="Document sections"
      base="/documents"
      home="Documents"
      pages={[
        { page: <DocumentsPage /> },
        { path: 'reviews', tab: reviews && 'My reviews', page: <MyReviewsPage /> },
        { path: 'types', tab: 'Document types', page: <DocumentTypesPage /> },
        { path: 'search', tab: 'Search', page: <SearchPage /> },
        { path: ':id', page: <DocumentPage /> },
      ]}
    />
  );
}
