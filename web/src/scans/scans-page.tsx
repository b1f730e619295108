import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DataTable, orDash } from '../ui/data-table.js';
import { useUrlFilters } from '../ui/filters.js';
import { PageHeader, PrimaryAction } from '../ui/page.js';
import { PagedList } from '../ui/paged-list.js';
import { Segmented } from '../ui/segmented.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';
import { ScanStatusBadge } from './scan-status-badge.js';
import { scanMethodLabels, scansApi, SCANS_REFRESH_MS, type ScanPage } from './scans.api.js';
import { UploadScanDialog } from './upload-scan-dialog.js';

const views = [
  { value: 'all', label: 'Recent' },
  { value: 'unmatched', label: 'Unmatched' },
] as const;

/** The intake of scanned paper: upload, what became of each recent scan, and the unmatched ones to file by hand. */
export function ScansPage() {
  const filters = useUrlFilters();
  const view = filters.get('status') === 'unmatched' ? 'unmatched' : 'all';
  const [uploading, setUploading] = useState(false);
  const invalidate = useInvalidate();
  // Reading a scan takes seconds: the list follows its status as it changes.
  const scans = useApiData<ScanPage>(scansApi.listPath(view === 'unmatched' ? 'unmatched' : undefined), {
    refreshEveryMs: SCANS_REFRESH_MS,
  });

  return (
    <>
      <PageHeader
        title="Scanned mail"
        description="Paper answers find their letter by the reference code it printed: each is filed on the customer, linked to the letter, with a ticket. Those without a readable code wait here to be filed by hand."
        actions={
          <PrimaryAction permission="scans.file" onClick={() => setUploading(true)}>
            Upload scan
          </PrimaryAction>
        }
      />
      <Segmented
        label="Which scans"
        choices={views}
        value={view}
        onChange={(next) => filters.set('status', next === 'unmatched' ? 'unmatched' : '')}
      />
      <PagedList
        list={{ ...scans, items: scans.data?.scans }}
        what="scans"
        empty={{
          title: view === 'unmatched' ? 'No scan waits to be filed by hand' : 'No scans yet',
          hint: 'Upload a scanned answer, or have the scanner mail it to the scan address.',
        }}
      >
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(scan) => scan.id}
            columns={(column) => [
              column.date('Received', (scan) => scan.receivedAt, true),
              { header: 'File', cell: (scan) => <Link to={scan.id}>{scan.filename}</Link> },
              { header: 'Status', cell: (scan) => <ScanStatusBadge status={scan.status} /> },
              { header: 'Found by', cell: (scan) => orDash(scan.method && scanMethodLabels[scan.method]) },
              {
                header: 'Customer',
                cell: (scan) =>
                  orDash(scan.customerId && <Link to={`/customers/${scan.customerId}`}>{scan.customerName}</Link>),
              },
              {
                header: 'Ticket',
                cell: (scan) =>
                  orDash(scan.ticketId && <Link to={`/tickets/${scan.ticketId}`}>#{scan.ticketNumber}</Link>),
              },
              { header: 'What happened', cell: (scan) => orDash(scan.detail) },
            ]}
          />
        )}
      </PagedList>
      {uploading && (
        <UploadScanDialog onClose={() => setUploading(false)} onUploaded={() => invalidate('/api/scans')} />
      )}
    </>
  );
}
