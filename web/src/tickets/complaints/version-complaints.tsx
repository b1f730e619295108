import { ApiError } from '../../api/client.js';
import { formatNumber } from '../../ui/format.js';
import { PagedList } from '../../ui/paged-list.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { TicketTable } from '../inbox/ticket-table.js';
import { ticketsApi, type ComplaintRate, type Ticket } from '../tickets.api.js';
import '../tickets.css';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 });

/**
 * The complaints about what one template version produced: each linked to the communication it is
 * about, and the rate, complaints per communication of the version.
 */
export function VersionComplaints({ versionId }: { versionId: string }) {
  const rate = useApiData<ComplaintRate>(ticketsApi.complaintRatePath(versionId));
  const complaints = useCursorPages<'tickets', Ticket>(
    ticketsApi.listPath({ view: 'all', kind: 'complaint', templateVersionId: versionId }),
    'tickets',
  );
  // Staff who may not read tickets see nothing of them here either.
  if (rate.error instanceof ApiError && rate.error.status === 403) return null;
  const data = rate.data;
  return (
    <section className="card version-complaints" aria-labelledby="complaints-heading">
      <h2 id="complaints-heading">Complaints</h2>
      {rate.error !== undefined && <ErrorNotice error={rate.error} onRetry={rate.reload} />}
      {data && (
        <p role="status">
          <span className="strong">
            {formatNumber(data.complaints)} {data.complaints === 1 ? 'complaint' : 'complaints'}
          </span>{' '}
          about {formatNumber(data.communications)} {data.communications === 1 ? 'communication' : 'communications'}
          {data.rate !== null && (
            <>
              : a complaint rate of <span className="strong">{percent.format(data.rate)}</span>
            </>
          )}
          .
        </p>
      )}
      <PagedList
        list={complaints}
        what="complaints"
        empty={{
          title: 'No complaint about this version',
          hint: 'A complaint that names one of its communications shows here.',
        }}
      >
        {(items) => <TicketTable tickets={items} label="Complaints about this version" />}
      </PagedList>
    </section>
  );
}
