import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Facts, type Fact } from '../ui/facts.js';
import { formatDateTime } from '../ui/format.js';
import { PageHeader, PrimaryAction } from '../ui/page.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { FileScanDialog } from './file-scan-dialog.js';
import { ScanStatusBadge } from './scan-status-badge.js';
import { inProgress, scanMethodLabels, scansApi, SCANS_REFRESH_MS, type Scan } from './scans.api.js';

function ScanFacts({ scan }: { scan: Scan }) {
  const facts: Fact[] = [
    ['Status', <ScanStatusBadge status={scan.status} />],
    ['Received', `${formatDateTime(scan.receivedAt)} by ${scan.source === 'email' ? 'email' : scan.receivedBy}`],
    ['Found by', scan.method ? scanMethodLabels[scan.method] : '—'],
    ['Reference', scan.reference ? <code>{scan.reference}</code> : '—'],
    ['Customer', scan.customerId ? <Link to={`/customers/${scan.customerId}`}>{scan.customerName}</Link> : '—'],
    [
      'Letter',
      scan.communicationId ? (
        <Link to={`/communications/${scan.communicationId}`}>The communication it answers</Link>
      ) : (
        '—'
      ),
    ],
    ['Ticket', scan.ticketId ? <Link to={`/tickets/${scan.ticketId}`}>Ticket #{scan.ticketNumber}</Link> : '—'],
    ['Document', scan.documentId ? <Link to={`/documents/${scan.documentId}`}>{scan.documentTitle}</Link> : '—'],
  ];
  return <Facts facts={facts} />;
}

/** One scan: where it is filed (or why not, with filing by hand), the file itself, and the text OCR read. */
export function ScanPage() {
  const { id = '' } = useParams();
  const scan = useApiData<Scan>(scansApi.scanPath(id), { refreshEveryMs: SCANS_REFRESH_MS });
  const [filing, setFiling] = useState(false);
  return (
    <>
      <p className="breadcrumb">
        <Link to=".." relative="path">
          ← Scanned mail
        </Link>
      </p>
      <PageHeader
        title={scan.data?.filename ?? 'Scan'}
        actions={
          scan.data?.status === 'unmatched' && (
            <PrimaryAction permission="scans.file" onClick={() => setFiling(true)}>
              File by hand
            </PrimaryAction>
          )
        }
      />
      <Loaded what="the scan" data={scan.data} error={scan.error} onRetry={scan.reload}>
        {(loaded) => (
          <div className="stack">
            <section className="card">
              <ScanFacts scan={loaded} />
              {loaded.detail && <p className={inProgress(loaded) ? 'muted' : undefined}>{loaded.detail}</p>}
            </section>
            <section className="card">
              <h2>The scan</h2>
              {loaded.mediaType === 'application/pdf' ? (
                <iframe className="scan-preview-frame" title="The scanned PDF" src={scansApi.contentPath(loaded.id)} />
              ) : loaded.mediaType === 'image/tiff' ? (
                <a href={scansApi.contentPath(loaded.id)}>Download the TIFF</a>
              ) : (
                <img className="scan-preview" alt="The scanned page" src={scansApi.contentPath(loaded.id)} />
              )}
            </section>
            {loaded.text && (
              <section className="card">
                <h2>Text read from it</h2>
                <pre className="code-block scan-text">{loaded.text}</pre>
              </section>
            )}
          </div>
        )}
      </Loaded>
      {filing && scan.data && (
        <FileScanDialog scan={scan.data} onClose={() => setFiling(false)} onFiled={(filed) => scan.replace(filed)} />
      )}
    </>
  );
}
