import { Area, type AreaPage } from '../ui/area-tabs.js';
import { CommunicationPage } from './communication/communication-page.js';
import { CommunicationsPage } from './list/communications-page.js';
import { OutboxPage } from './outbox/outbox-page.js';
import { PrintBatchesPage } from './print/print-batches-page.js';
import { RatesPage } from './rates/rates-page.js';
import { BatchRunPage } from './runs/batch-run-page.js';
import { BatchRunsPage } from './runs/batch-runs-page.js';
import { NewBatchRunPage } from './runs/new-batch-run-page.js';
import './communications.css';

const pages: AreaPage[] = [
  { page: <CommunicationsPage /> },
  { path: ':id', page: <CommunicationPage /> },
  { path: 'runs', tab: 'Batch runs', page: <BatchRunsPage /> },
  { path: 'outbox', tab: 'Outbox', page: <OutboxPage /> },
  { path: 'print-batches', tab: 'Print batches', page: <PrintBatchesPage /> },
  { path: 'rates', tab: 'Rates', page: <RatesPage /> },
  { path: 'runs/new', page: <NewBatchRunPage /> },
  { path: 'runs/:id', page: <BatchRunPage /> },
  { path: 'outbox/:id', page: <OutboxPage /> },
];

/** Everything under /communications: what was sent, batch runs, the local outbox, print batches and channel rates. */
export function CommunicationsArea() {
  return <Area label="Communication sections" base="/communications" home="Communications" pages={pages} />;
}
