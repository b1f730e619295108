import { DataTable } from '../../ui/data-table.js';
import { ImportCounts, WaysOn } from './progress-step.js';
import type { VCardImport } from './imports.api.js';

/** What a vCard file did, card by card: vCards are imported at once, without mapping. */
export function VCardResult({ result, onDone }: { result: VCardImport; onDone: () => void }) {
  const rejected = result.cards.filter((card) => card.outcome === 'rejected');
  return (
    <section className="card stack" aria-labelledby="vcard-heading">
      <h2 id="vcard-heading">vCards imported</h2>
      <ImportCounts counts={result} />
      {rejected.length > 0 && (
        <DataTable
          label="Rejected cards"
          compact
          rows={rejected}
          rowKey={(card) => card.card}
          columns={[
            { header: 'Card', numeric: true, cell: (card) => card.card },
            { header: 'Line', numeric: true, cell: (card) => card.line },
            {
              header: 'Problems',
              cell: (card) =>
                card.problems
                  .map((problem) => (problem.field ? `${problem.field}: ${problem.reason}` : problem.reason))
                  .join('; '),
            },
          ]}
        />
      )}
      <div className="form-actions">
        <WaysOn listed primary onDone={onDone} />
      </div>
    </section>
  );
}
