import { DataTable } from '../../ui/data-table.js';
import { PagedList } from '../../ui/paged-list.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';
import { importsApi, type ImportReject } from './imports.api.js';

/** The rows the import refused, with the column and the reason, in file order. */
export function ImportRejects({ importId }: { importId: string }) {
  const rejects = useCursorPages<'rejects', ImportReject>(importsApi.rejectsPath(importId), 'rejects');
  return (
    <section className="card" aria-labelledby="rejects-heading">
      <div className="card-header">
        <h2 id="rejects-heading">Rejected rows</h2>
        <a className="button button-small" href={importsApi.rejectsCsvPath(importId)} download>
          Download rejects CSV
        </a>
      </div>
      <PagedList list={rejects} what="rejected rows" empty={{ title: 'No rows were rejected' }} more="block">
        {(items) => (
          <>
            <DataTable
              label="Rejected rows"
              className="table-compact"
              rows={items}
              rowKey={(reject, index) => `${reject.rowNumber}-${index}`}
              columns={[
                { header: 'Row', numeric: true, cell: (reject) => reject.rowNumber },
                { header: 'Column', cell: (reject) => reject.field || <span className="muted">whole row</span> },
                { header: 'Reason', cell: (reject) => reject.reason },
              ]}
            />
            <p className="muted small table-note">Row numbers count the header as row 1, as spreadsheets do.</p>
          </>
        )}
      </PagedList>
    </section>
  );
}
