import { Area } from '../ui/area-tabs.js';
import { BatchPage } from './batch-page.js';
import { CategoriesPage } from './categories-page.js';
import { DispositionPage } from './disposition-page.js';
import { HoldPage } from './hold-page.js';
import { HoldsPage } from './holds-page.js';
import './records.css';

/** Everything under /records: legal holds and their e-discovery exports, record categories, disposition. */
export function RecordsArea() {
  return (
    <Area
      label="Records sections"
      base="/records"
      home="Legal holds"
      pages={[
        { page: <HoldsPage /> },
        { path: 'categories', tab: 'Categories and retention', page: <CategoriesPage /> },
        { path: 'disposition', tab: 'Disposition', page: <DispositionPage /> },
        { path: 'disposition/:id', page: <BatchPage /> },
        { path: 'holds/:id', page: <HoldPage /> },
      ]}
    />
  );
}
