import { Link } from 'react-router-dom';
import { formatNumber } from '../../ui/format.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiRead } from '../../ui/use-api-data.js';
import { useDebouncedValue } from '../../ui/use-debounced-value.js';
import { segmentsApi, type SegmentFilter } from './segments.api.js';

/** Counts and previews the customers a filter matches, asking again once the filter stops changing. */
function useLiveEvaluation(filter: SegmentFilter) {
  const key = useDebouncedValue(JSON.stringify(filter), 400);
  const outcome = useApiRead(['segment-evaluation', key], () => segmentsApi.evaluate(JSON.parse(key) as SegmentFilter));
  const settled = !outcome.stale && outcome.data !== undefined && key === JSON.stringify(filter);
  return { outcome, settled };
}

export function SegmentPreview({ filter, segmentId }: { filter: SegmentFilter; segmentId?: string }) {
  const { outcome, settled } = useLiveEvaluation(filter);
  const evaluation = outcome.data;
  return (
    <aside className="card segment-preview" aria-labelledby="preview-heading" aria-busy={!settled}>
      <h2 id="preview-heading">Who is in it now</h2>
      {outcome.error !== undefined && <ErrorNotice error={outcome.error} />}
      {evaluation ? (
        <div className={settled ? undefined : 'refreshing'}>
          <p className="segment-count" role="status">
            {evaluation.estimated && 'About '}
            <strong>{formatNumber(evaluation.count)}</strong>{' '}
            {evaluation.count === 1 ? 'customer matches' : 'customers match'}
          </p>
          {evaluation.estimated && (
            <p className="muted small">Estimated from a sample: above 10,000 customers the count is not exact.</p>
          )}
          {evaluation.preview.length > 0 && (
            <ul className="preview-list" aria-label="First matching customers">
              {evaluation.preview.map((customer) => (
                <li key={customer.id}>
                  <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
                  <span className="muted small">{customer.emails[0] ?? ''}</span>
                </li>
              ))}
            </ul>
          )}
          {evaluation.count > evaluation.preview.length && (
            <p className="muted small">Showing the first {evaluation.preview.length}, by name.</p>
          )}
          {segmentId && (
            <p>
              <Link to={`/customers?segment=${segmentId}`}>Open the saved segment in the customer list</Link>
            </p>
          )}
        </div>
      ) : (
        outcome.error === undefined && <p className="muted">Counting…</p>
      )}
    </aside>
  );
}
