import { Route, Routes } from 'react-router-dom';
import { useSignedInUser } from '../auth/session.js';
import { NotFoundPage } from '../shell/not-found-page.js';
import { AreaTabs } from '../ui/area-tabs.js';
import { may } from '../ui/permissions.js';
import { CustomerPage } from './customer/customer-page.js';
import { DuplicatesPage } from './duplicates/duplicates-page.js';
import { ImportPage } from './import/import-page.js';
import { CustomersPage } from './list/customers-page.js';
import { SegmentEditorPage } from './segments/segment-editor-page.js';
import { SegmentsPage } from './segments/segments-page.js';
import './customers.css';

/** Everything under /customers: the list, one customer, segments, duplicates and the import wizard. */
export function CustomersArea() {
  const user = useSignedInUser();
  const sections = [
    { path: 'segments', label: 'Segments' },
    { path: 'duplicates', label: 'Duplicates' },
    ...(may(user, 'customers.import') ? [{ path: 'import', label: 'Import' }] : []),
  ];
  return (
    <>
      <AreaTabs label="Customer sections" base="/customers" home="All customers" sections={sections} />
      <Routes>
        <Route index element={<CustomersPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="duplicates" element={<DuplicatesPage />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="segments/new" element={<SegmentEditorPage />} />
        <Route path="segments/:id" element={<SegmentEditorPage />} />
        <Route path=":id" element={<CustomerPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
