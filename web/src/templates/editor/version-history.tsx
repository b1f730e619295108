import { Link } from 'react-router-dom';
import { formatDateTime } from '../../ui/format.js';
import { StatusBadge } from '../status-badge.js';
import type { VersionSummary } from '../templates.api.js';

/** Every saved version, newest first, each opening its review screen. */
export function VersionHistory({
  templateKey,
  versions,
  editing,
}: {
  templateKey: string;
  versions: VersionSummary[];
  editing: number | null;
}) {
  const newestFirst = [...versions].sort((a, b) => b.number - a.number);
  return (
    <section className="card" aria-label="Version history">
      <h2>Versions</h2>
      <ol className="version-list">
        {newestFirst.map((version) => (
          <li key={version.id} className="version-item">
            <div className="version-line">
              <Link to={`/templates/${templateKey}/versions/${version.number}`} className="strong">
                Version {version.number}
              </Link>
              <StatusBadge status={version.status} />
              {version.number === editing && <span className="tag">in the editor</span>}
            </div>
            <div className="muted small">
              {version.createdBy} · {formatDateTime(version.createdAt)}
              {version.decidedBy && <> · decided by {version.decidedBy}</>}
            </div>
            {version.changeNote && <div className="version-note">{version.changeNote}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
