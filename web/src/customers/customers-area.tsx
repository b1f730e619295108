import { useSignedInUser } from '../auth/session.js';
import { Area } from '../ui/area-tabs.js';
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
  return (
    <Area
      label="Customer sections"
      base="/customers"
      home="All customers"
      pages={[
        { page: <CustomersPage /> },
        { path: ':id', page: <CustomerPage /> },
        { path: 'segments', tab: 'Segments', page: <SegmentsPage /> },
        { path: 'segments/new', page: <SegmentEditorPage /> },
        { path: 'segments/:id', page: <SegmentEditorPage /> },
        { path: 'duplicates', tab: 'Duplicates', page: <DuplicatesPage /> },
        // Only those who may import see the tab; the address answers everyone (the page says what they lack).
        { path: 'import', tab: may(user, 'customers.import') && 'Import', page: <ImportPage /> },
      ]}
    />
  );
}
