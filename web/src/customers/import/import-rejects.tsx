import { Empty, ErrorNotice, Loading } from '../../ui/states.js';
import { useCursorPages } from '../use-cursor-pages.js';
import { importsApi, type ImportReject } from './imports.api.js';

/** The rows the import refused, with the column and the reason, in file order. */
export function ImportRejects({ importId }: { importId: string }) {
  const rejects = useCursorPages<'rejects', ImportReject>(importsApi.rejectsPath(importId), 'rejects', 'after');
  return (
    <section className="card" aria-labelledby="rejects-heading">
      <div className="card-header">
        <h2 id="rejects-heading">Rejected rows</h2>
        <a className="button button-small" href={importsApi.rejectsCsvPath(importId)} download>
          Download rejects CSV
        </a>
      </div>
      {rejects.error !== undefined && <ErrorNotice error={rejects.error} onRetry={rejects.reload} />}
      {rejects.items === undefined ? (
        rejects.error === undefined && <Loading what="rejected rows" />
      ) : rejects.items.length === 0 ? (
        <Empty title="No rows were rejected" />
      ) : (
        <>
          <table className="table table-compact" aria-label="Rejected rows">
            <thead>
              <tr>
                <th className="numeric">Row</th>
                <th>Column</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {rejects.items.map((reject, index) => (
                <tr key={`${reject.rowNumber}-${index}`}>
                  <td className="numeric">{reject.rowNumber}</td>
                  <td>{reject.field || <span className="muted">whole row</span>}</td>
                  <td>{reject.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small table-note">Row numbers count the header as row 1, as spreadsheets do.</p>
          {rejects.hasMore && (
            <button
              type="button"
              className="button button-block"
              disabled={rejects.loadingMore}
              onClick={rejects.loadMore}
            >
              {rejects.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
