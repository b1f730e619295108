import { Link } from 'react-router-dom';
import { ImportCounts } from './progress-step.js';
import type { VCardImport } from './imports.api.js';

/** What a vCard file did, card by card: vCards are imported at once, without mapping. */
export function VCardResult({ result, onDone }: { result: VCardImport; onDone: () => void }) {
  const rejected = result.cards.filter((card) => card.outcome === 'rejected');
  return (
    <section className="card stack" aria-labelledby="vcard-heading">
      <h2 id="vcard-heading">vCards imported</h2>
      <ImportCounts counts={result} />
      {rejected.length > 0 && (
        <table className="table table-compact" aria-label="Rejected cards">
          <thead>
            <tr>
              <th className="numeric">Card</th>
              <th className="numeric">Line</th>
              <th>Problems</th>
            </tr>
          </thead>
          <tbody>
            {rejected.map((card) => (
              <tr key={card.card}>
                <td className="numeric">{card.card}</td>
                <td className="numeric">{card.line}</td>
                <td>
                  {card.problems
                    .map((problem) => (problem.field ? `${problem.field}: ${problem.reason}` : problem.reason))
                    .join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <Link className="button" to="/customers">
          Go to the customer list
        </Link>
        <button type="button" className="button button-primary" onClick={onDone}>
          Import another file
        </button>
      </div>
    </section>
  );
}
