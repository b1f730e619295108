import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';
import { AreaTabs } from '../ui/area-tabs.js';
import { CommunicationPage } from './communication/communication-page.js';
import { CommunicationsPage } from './list/communications-page.js';
import { OutboxPage } from './outbox/outbox-page.js';
import { PrintBatchesPage } from './print/print-batches-page.js';
import { RatesPage } from './rates/rates-page.js';
import { BatchRunPage } from './runs/batch-run-page.js';
import { BatchRunsPage } from './runs/batch-runs-page.js';
import { NewBatchRunPage } from './runs/new-batch-run-page.js';
import './communications.css';

const sections = [
  { path: 'runs', label: 'Batch runs' },
  { path: 'outbox', label: 'Outbox' },
  { path: 'print-batches', label: 'Print batches' },
  { path: 'rates', label: 'Rates' },
];

/** Everything under /communications: what was sent, batch runs, the local outbox, print batches and channel rates. */
export function CommunicationsArea() {
  return (
    <>
      <AreaTabs label="Communication sections" base="/communications" home="Communications" sections={sections} />
      <Routes>
        <Route index element={<CommunicationsPage />} />
        <Route path="runs" element={<BatchRunsPage />} />
        <Route path="runs/new" element={<NewBatchRunPage />} />
        <Route path="runs/:id" element={<BatchRunPage />} />
        <Route path="outbox" element={<OutboxPage />} />
        <Route path="outbox/:id" element={<OutboxPage />} />
        <Route path="print-batches" element={<PrintBatchesPage />} />
        <Route path="rates" element={<RatesPage />} />
        <Route path=":id" element={<CommunicationPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
