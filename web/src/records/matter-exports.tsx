import { useState } from 'react';
import { Segmented } from '../ui/segmented.js';
import { DataTable } from '../ui/data-table.js';
import { FormError, useSubmission } from '../ui/form.js';
import { formatDateTime, formatFileSize } from '../ui/format.js';
import { ErrorNotice, messageOf } from '../ui/states.js';
import { useApiData, useApiList, useInvalidate } from '../ui/use-api-data.js';
import { useDebouncedValue } from '../ui/use-debounced-value.js';
import { recordsApi, type Hold, type MatterExport, type MatterItems, type MatterItemType } from './records.api.js';

const typeLabels: Record<MatterItemType, string> = {
  document: 'Documents',
  communication: 'Communications',
  ticket: 'Tickets',
};

function ExportProgress({ row }: { row: MatterExport }) {
  if (row.status === 'done')
    return (
      <a className="button button-small" href={recordsApi.downloadPath(row.id)} download>
        Download ZIP ({formatFileSize(row.zipSize ?? 0)})
      </a>
    );
  if (row.status === 'failed') return <span className="field-error">Failed: {row.error}</span>;
  return (
    <span role="status">
      <progress className="records-progress" max={Math.max(row.itemsTotal, 1)} value={row.itemsDone} /> {row.itemsDone}{' '}
      of {row.itemsTotal} items
    </span>
  );
}

/** Search what the matter's hold covers, choose, export as a ZIP, and watch each export's progress. */
export function MatterExports({ hold }: { hold: Hold }) {
  const invalidate = useInvalidate();
  const [type, setType] = useState<MatterItemType>('document');
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query, 300);
  const [chosen, setChosen] = useState<Map<string, { type: MatterItemType; id: string }>>(new Map());
  const items = useApiData<MatterItems>(recordsApi.matterItemsPath(hold.id, type, q));
  const exportsPath = recordsApi.exportsPath(hold.id);
  const exports = useApiList<'exports', MatterExport>(exportsPath, 'exports', { refreshEveryMs: 1000 });
  const start = useSubmission(async (selection?: { type: MatterItemType; id: string }[]) => {
    await recordsApi.startExport(hold.id, selection);
    setChosen(new Map());
    await invalidate(exportsPath);
  });
  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, { type, id });
      return next;
    });
  return (
    <section className="card" aria-labelledby="matter-ediscovery">
      <h2 id="matter-ediscovery">E-discovery</h2>
      <div className="records-choose">
        <Segmented
          label="Kind"
          value={type}
          onChange={setType}
          choices={(Object.keys(typeLabels) as MatterItemType[]).map((value) => ({ value, label: typeLabels[value] }))}
        />
        <input
          type="search"
          aria-label="Search the matter"
          placeholder="Search titles, subjects, customers"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <span className="muted">{items.data && `${items.data.total} in scope`}</span>
      </div>
      {items.error !== undefined && <ErrorNotice error={items.error} onRetry={items.reload} />}
      {items.data && (
        <DataTable
          compact
          label="Items in scope"
          rows={items.data.items}
          rowKey={(item) => item.id}
          columns={(column) => [
            {
              header: 'Choose',
              hideHeader: true,
              cell: (item) => (
                <input
                  type="checkbox"
                  aria-label={`Choose ${item.title}`}
                  checked={chosen.has(item.id)}
                  onChange={() => toggle(item.id)}
                />
              ),
            },
            { header: 'Title', className: 'strong', cell: (item) => item.title },
            { header: 'Status', cell: (item) => item.status },
            column.date('Created', (item) => String(item.createdAt)),
          ]}
        />
      )}
      <FormError message={start.error === undefined ? null : messageOf(start.error)} />
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={start.saving || chosen.size === 0}
          onClick={() => void start.run([...chosen.values()])}
        >
          Export {chosen.size} chosen
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={start.saving}
          onClick={() => void start.run()}
        >
          Export everything in scope
        </button>
      </div>
      {exports.items && exports.items.length > 0 && (
        <DataTable
          compact
          label="Exports"
          rows={exports.items}
          rowKey={(row) => row.id}
          columns={[
            { header: 'Started', className: 'nowrap', cell: (row) => formatDateTime(String(row.createdAt)) },
            { header: 'By', cell: (row) => row.requestedByLabel },
            { header: 'Progress', cell: (row) => <ExportProgress row={row} /> },
            { header: 'SHA-256', cell: (row) => (row.zipSha256 ? <code>{row.zipSha256.slice(0, 16)}…</code> : '—') },
          ]}
        />
      )}
    </section>
  );
}
