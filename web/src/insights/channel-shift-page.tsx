import { Link, useParams } from 'react-router-dom';
import { Facts } from '../ui/facts.js';
import { formatDateTime, formatMoney, formatNumber } from '../ui/format.js';
import { PageHeader } from '../ui/page.js';
import { Loaded } from '../ui/states.js';
import { useCurrency } from '../ui/use-currency.js';
import { useApiData } from '../ui/use-api-data.js';
import { channelShiftApi, type ChannelShift } from './channel-shift.api.js';

const percent = (share: number | null) =>
  share === null ? '—' : `${(share * 100).toLocaleString(undefined, { maximumFractionDigits: 1 })} %`;

/** A started channel shift: the plan it promised, customers moved since, and the saving realised against it. */
export function ChannelShiftPage() {
  const { id = '' } = useParams();
  const currency = useCurrency();
  const shift = useApiData<ChannelShift>(channelShiftApi.path(id), { refreshEveryMs: 10_000 });
  return (
    <Loaded what="the channel shift" data={shift.data} error={shift.error} onRetry={shift.reload}>
      {(data) => (
        <>
          <PageHeader
            title={`${data.segmentName} → ${data.target}`}
            description={`Started ${formatDateTime(data.createdAt)} by ${data.createdBy}.`}
          />
          <div className="reach-grid">
            <section className="card" aria-label="The plan">
              <h2>The plan</h2>
              <Facts
                facts={[
                  ['Customers', formatNumber(data.customerCount)],
                  ['Letters a year', formatNumber(data.volumes.letter ?? 0)],
                  ['Faxes a year', formatNumber(data.volumes.fax ?? 0)],
                  ['Saving a year', formatMoney(data.plannedSavingMillicents, currency)],
                ]}
              />
            </section>
            <section className="card" aria-label="Since the start">
              <h2>Since the start</h2>
              <Facts
                facts={[
                  [
                    'Customers moved',
                    `${formatNumber(data.outcome.movedCustomers)} of ${formatNumber(data.customerCount)} (${percent(data.outcome.movedShare)})`,
                  ],
                  ['Their saving a year', formatMoney(data.outcome.projectedSavingPerYearMillicents, currency)],
                  ['Items by email or portal since', formatNumber(data.outcome.digitalItemsSince)],
                  ['Saving realised', formatMoney(data.outcome.realisedSavingMillicents, currency)],
                  ['Cost of the request mailing', formatMoney(data.outcome.mailingCostMillicents, currency)],
                ]}
              />
            </section>
          </div>
          {data.announcement && (
            <p>
              Announcement and consent request:{' '}
              <Link to={`/announcements/${data.announcement.id}`}>{data.announcement.title}</Link> (
              {data.announcement.status})
            </p>
          )}
          <p className="small">
            <Link to="/insights/channel-shift">Back to the planner</Link>
          </p>
        </>
      )}
    </Loaded>
  );
}
