import { statusLabels, type VersionStatus } from './template-vocabulary.js';

/** A version's place in review, coloured by how close it is to being sent. */
export function StatusBadge({ status }: { status: VersionStatus }) {
  return <span className={`badge version-status version-status-${status}`}>{statusLabels[status]}</span>;
}

/** "v3" with its status, or a dash when there is no such version. */
export function VersionMark({ version }: { version: { number: number; status: VersionStatus } | null }) {
  if (!version) return <span className="muted">—</span>;
  return (
    <span className="version-mark">
      <span className="version-number">v{version.number}</span>
      <StatusBadge status={version.status} />
    </span>
  );
}

/** Which version is live: "v3", or that none is published. */
export function publishedOf(published: { number: number } | null) {
  return published ? <span className="nowrap">v{published.number}</span> : <span className="muted">Not published</span>;
}
