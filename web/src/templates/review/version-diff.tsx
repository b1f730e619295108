import { useState } from 'react';
import { Loaded } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { describePlace } from '../editor/compliance-panel.js';
import { channels, type Channel } from '../template-vocabulary.js';
import { templatesApi, type DiffField, type VersionSummary } from '../templates.api.js';

// Fields in the order the editor shows them: language, then channel, then subject before body.
const fieldOrder = ['subject', 'format', 'body', 'text'];
const rank = (path: string) => {
  const [language = '', channel = '', field = ''] = path.split('.');
  return [language, String(channels.indexOf(channel as Channel)), String(fieldOrder.indexOf(field))];
};
const byPlace = (a: DiffField, b: DiffField) => rank(a.field).join('|').localeCompare(rank(b.field).join('|'));

type Line = { kind: 'added' | 'removed' | 'same'; text: string };
const CONTEXT = 2;

function linesOf(field: DiffField): Line[] {
  return field.changes.flatMap((change) =>
    change.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({
        kind: change.added ? ('added' as const) : change.removed ? ('removed' as const) : ('same' as const),
        text,
      })),
  );
}

/** Changed lines with a little context; long unchanged stretches fold into one line. */
function FieldDiff({ field }: { field: DiffField }) {
  const lines = linesOf(field);
  const near = (index: number) =>
    lines.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((line) => line.kind !== 'same');
  const rows: ({ fold: number } | Line)[] = [];
  lines.forEach((line, index) => {
    if (line.kind !== 'same' || near(index)) rows.push(line);
    else {
      const last = rows[rows.length - 1];
      if (last && 'fold' in last) last.fold += 1;
      else rows.push({ fold: 1 });
    }
  });
  return (
    <div className="diff-field">
      <h3>{describePlace(field.field)}</h3>
      <pre className="diff">
        {rows.map((row, index) =>
          'fold' in row ? (
            <span key={index} className="diff-fold">
              {`   … ${row.fold} unchanged line${row.fold === 1 ? '' : 's'}\n`}
            </span>
          ) : (
            <span key={index} className={`diff-${row.kind}`}>
              <span className="diff-sign" aria-label={row.kind === 'same' ? undefined : row.kind}>
                {row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ' '}
              </span>
              {` ${row.text}\n`}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}

/** What changed between two versions, per language, channel and field; by default against the one before. */
export function VersionDiff({
  templateKey,
  versions,
  number,
}: {
  templateKey: string;
  versions: VersionSummary[];
  number: number;
}) {
  const numbers = versions.map((version) => version.number).sort((a, b) => a - b);
  const [from, setFrom] = useState(() => numbers.filter((candidate) => candidate < number).pop() ?? null);
  const [to, setTo] = useState(number);
  const diff = useApiData<{ fields: DiffField[] }>(
    from !== null && from !== to ? templatesApi.diffPath(templateKey, from, to) : null,
  );

  const select = (label: string, value: number | null, onChange: (value: number) => void) => (
    <label className="filter">
      {label}
      <select value={value ?? ''} onChange={(event) => onChange(Number(event.target.value))}>
        {value === null && <option value="">—</option>}
        {numbers.map((candidate) => (
          <option key={candidate} value={candidate}>
            Version {candidate}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="card" aria-label="Changes">
      <div className="card-heading">
        <h2>Changes</h2>
        {numbers.length > 1 && (
          <div className="filters filters-tight">
            {select('From', from, setFrom)}
            {select('To', to, setTo)}
          </div>
        )}
      </div>
      {from === null ? (
        <p className="muted">
          Version {number} is the first version, so there is nothing to compare yet; its full content is below.
        </p>
      ) : from === to ? (
        <p className="muted">Choose two different versions.</p>
      ) : (
        <Loaded what="the changes" data={diff.data} error={diff.error} onRetry={diff.reload}>
          {({ fields }) =>
            fields.length === 0 ? (
              <p className="muted">
                The content of versions {from} and {to} is the same.
              </p>
            ) : (
              <>
                <p className="muted small">
                  From version {from} to version {to}: {fields.length} field{fields.length === 1 ? '' : 's'} changed.
                </p>
                {[...fields].sort(byPlace).map((field) => (
                  <FieldDiff key={field.field} field={field} />
                ))}
              </>
            )
          }
        </Loaded>
      )}
    </section>
  );
}
