import { Link } from 'react-router-dom';
import { formatDateTime } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { useCurrency } from '../ui/use-currency.js';
import { boardFilterLabels } from './board-filters.js';
import {
  filtersNotTaken,
  formatKpiValue,
  insightsApi,
  type BoardQuery,
  type KpiDefinition,
  type KpiRecord,
  type KpiSeries,
} from './insights.api.js';
import { KpiChart } from './kpi-chart.js';

/** The records behind one chart point, each linked to its page. */
function PointRecords({ kpi, query, point }: { kpi: KpiDefinition; query: BoardQuery; point: string }) {
  const records = useApiData<{ records: KpiRecord[]; nextCursor: string | null }>(
    insightsApi.recordsPath(kpi, query, point),
  );
  return (
    <section className="kpi-records" aria-label={`${kpi.name}: records of ${point}`}>
      <h4>Records behind {point}</h4>
      <Loaded what="records" data={records.data} error={records.error} onRetry={records.reload}>
        {(data) =>
          data.records.length === 0 ? (
            <p className="muted small">No records behind this point.</p>
          ) : (
            <ul className="kpi-records-list">
              {data.records.map((record) => (
                <li key={`${record.type}-${record.id}-${record.at}`}>
                  <Link to={insightsApi.pageOf(record)}>{record.title}</Link>{' '}
                  <span className="muted small">
                    {record.detail} · {formatDateTime(record.at)}
                  </span>
                </li>
              ))}
              {data.nextCursor && (
                <li className="muted small">The first 50 are shown; export or narrow the period for more.</li>
              )}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

/** One KPI on the board: its total, how it is computed, a chart per bucket, drill-down and CSV. */
export function KpiCard({
  kpi,
  query,
  picked,
  onPick,
}: {
  kpi: KpiDefinition;
  query: BoardQuery;
  picked: string | undefined;
  onPick: (bucket: string | undefined) => void;
}) {
  const currency = useCurrency();
  const series = useApiData<KpiSeries>(insightsApi.seriesPath(kpi, query));
  const format = (value: number | null) => formatKpiValue(value, kpi.unit, currency);
  const helpId = `kpi-help-${kpi.key}`;
  const notTaken = filtersNotTaken(kpi, query);
  return (
    <article className="kpi-card" aria-label={kpi.name}>
      <header className="kpi-card-header">
        <h3>
          {kpi.name}{' '}
          <span className="kpi-help" title={kpi.description} aria-describedby={helpId} tabIndex={0}>
            ?
          </span>
        </h3>
        <a className="button button-small" href={insightsApi.csvPath(kpi, query)} download>
          CSV
        </a>
      </header>
      <p id={helpId} className="visually-hidden">
        {kpi.description}
      </p>
      {notTaken.length > 0 && (
        <p className="muted small kpi-not-narrowed">
          Not narrowed by {notTaken.map((name) => boardFilterLabels[name]).join(', ')}: this KPI does not take{' '}
          {notTaken.length > 1 ? 'them' : 'it'}.
        </p>
      )}
      <Loaded what={kpi.name} data={series.data} error={series.error} onRetry={series.reload}>
        {(data) => (
          <>
            <p className="kpi-total">
              <strong>{format(data.total.value)}</strong>{' '}
              <span className="muted small">{kpi.higherIsBetter ? 'higher is better' : 'lower is better'}</span>
            </p>
            <KpiChart
              label={`${kpi.name} per ${data.bucket}`}
              points={data.points}
              format={format}
              picked={picked}
              onPick={(bucket) => onPick(bucket === picked ? undefined : bucket)}
            />
            {data.groups.length > 1 && (
              <p className="muted small kpi-groups">
                By {kpi.groupedBy}: {data.groups.map((group) => `${group.group} ${format(group.value)}`).join(' · ')}
              </p>
            )}
            {data.rollup && (
              <p className="muted small">
                Days before {data.rollup.to} as they stood at {formatDateTime(data.rollup.refreshedAt)}; later ones
                live.
              </p>
            )}
          </>
        )}
      </Loaded>
      {picked && <PointRecords kpi={kpi} query={query} point={picked} />}
    </article>
  );
}
