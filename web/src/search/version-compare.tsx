import { useState } from 'react';
import type { TidingsDocument } from '../documents/documents.api.js';
import { formatSize } from '../documents/documents-format.js';
import { DataTable } from '../ui/data-table.js';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states.js';
import { useApiData } from '../ui/use-api-data.js';
import { searchApi, type VersionComparison } from './search.api.js';
import './search.css';

type Part = VersionComparison['text']['parts'][number];

const fieldLabels: Record<string, string> = {
  filename: 'File name',
  mediaType: 'File type',
  size: 'Size',
  sha256: 'SHA-256',
  comment: 'What changed',
  createdBy: 'By',
  createdAt: 'When',
};

const shown = (field: string, value: string | number | null) =>
  value === null ? '—' : field === 'size' ? formatSize(Number(value)) : String(value);

function TextDiff({ parts }: { parts: Part[] }) {
  return (
    <ol className="text-diff" aria-label="Text differences">
      {parts.flatMap((part, index) =>
        part.kind === 'folded'
          ? [
              <li key={index} className="text-diff-folded">
                {part.count} unchanged {part.count === 1 ? 'line' : 'lines'}
              </li>,
            ]
          : part.lines.map((line, lineIndex) => (
              <li key={`${index}:${lineIndex}`} className={`text-diff-${part.kind}`}>
                {part.kind === 'added' ? '+ ' : part.kind === 'removed' ? '− ' : '  '}
                {part.kind === 'added' ? <ins>{line}</ins> : part.kind === 'removed' ? <del>{line}</del> : line}
              </li>
            )),
      )}
    </ol>
  );
}

function Comparison({ documentId, from, to }: { documentId: string; from: string; to: string }) {
  const compared = useApiData<VersionComparison>(searchApi.comparePath(documentId, from, to));
  if (compared.error !== undefined) return <ErrorNotice error={compared.error} onRetry={compared.reload} />;
  if (compared.data === undefined) return <Loading what="the comparison" />;
  const { changes, text, sameContent } = compared.data;
  return (
    <>
      {sameContent && <Notice tone="info">Both versions have the same content.</Notice>}
      {changes.length > 0 && (
        <DataTable
          label="Changed details"
          compact
          rows={changes}
          rowKey={(change) => change.field}
          columns={() => [
            { header: 'Detail', className: 'strong', cell: (change) => fieldLabels[change.field] ?? change.field },
            { header: from, cell: (change) => shown(change.field, change.from) },
            { header: to, cell: (change) => shown(change.field, change.to) },
          ]}
        />
      )}
      <h3>Text</h3>
      {text.state === 'waiting' ? (
        <Notice tone="info">The text of one of these versions is still being extracted, or could not be read.</Notice>
      ) : text.state === 'too_different' ? (
        <Notice tone="info">The texts differ in too many places to show line by line.</Notice>
      ) : text.added === 0 && text.removed === 0 ? (
        <Empty title="The text is the same" />
      ) : (
        <>
          <p className="muted">
            {text.added} {text.added === 1 ? 'line' : 'lines'} added, {text.removed} removed
          </p>
          <TextDiff parts={text.parts} />
        </>
      )}
    </>
  );
}

/** Two versions of a document side by side: the details that differ and the text, line by line. */
export function VersionCompare({ document }: { document: TidingsDocument }) {
  const labels = document.versions.map((version) => version.label);
  const [from, setFrom] = useState(labels[1] ?? labels[0] ?? '');
  const [to, setTo] = useState(labels[0] ?? '');
  const [compared, setCompared] = useState<{ from: string; to: string } | null>(null);
  if (labels.length < 2) return null;
  return (
    <section className="card" aria-labelledby="version-compare">
      <h2 id="version-compare">Compare versions</h2>
      <form
        className="version-compare-controls"
        onSubmit={(event) => {
          event.preventDefault();
          setCompared({ from, to });
        }}
      >
        <label>
          From
          <select value={from} onChange={(event) => setFrom(event.target.value)}>
            {labels.map((label) => (
              <option key={label}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          To
          <select value={to} onChange={(event) => setTo(event.target.value)}>
            {labels.map((label) => (
              <option key={label}>{label}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Compare
        </button>
      </form>
      {compared && <Comparison documentId={document.id} from={compared.from} to={compared.to} />}
    </section>
  );
}
