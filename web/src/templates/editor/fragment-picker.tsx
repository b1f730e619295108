import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { useApiData } from '../../ui/use-api-data.js';
import { StatusBadge } from '../status-badge.js';
import { fragmentsApi, type FragmentListItem } from '../studio.api.js';
import { fragmentKindLabels } from '../template-vocabulary.js';

/** "Insert fragment": the fragment library in a small menu; choosing one inserts its include tag at the cursor. */
export function FragmentPicker({ onPick }: { onPick: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  const fragments = useApiData<{ fragments: FragmentListItem[] }>(open ? fragmentsApi.listPath : null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('mousedown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  const pick = (key: string) => {
    setOpen(false);
    onPick(key);
  };

  return (
    <div className="popover-anchor" ref={box}>
      <button
        type="button"
        className="button button-small"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen(!open)}
      >
        Insert fragment
      </button>
      {open && (
        <div className="popover fragment-menu" role="region" aria-label="Fragments">
          {fragments.data ? (
            fragments.data.fragments.length === 0 ? (
              <p className="muted">
                No fragments yet. <Link to="/templates/fragments">Create one</Link>.
              </p>
            ) : (
              <ul>
                {fragments.data.fragments.map((fragment) => (
                  <li key={fragment.id}>
                    <button type="button" className="fragment-option" onClick={() => pick(fragment.key)}>
                      <span className="fragment-option-name">{fragment.name}</span>
                      <span className="fragment-option-meta">
                        <code>{fragment.key}</code> · {fragmentKindLabels[fragment.kind]}
                        {fragment.published ? ' · ' : ''}
                        {fragment.published ? (
                          <StatusBadge status="published" />
                        ) : (
                          <span className="warning-text"> · not published yet</span>
                        )}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )
          ) : fragments.error !== undefined ? (
            <ErrorNotice error={fragments.error} onRetry={fragments.reload} />
          ) : (
            <Loading what="fragments" />
          )}
        </div>
      )}
    </div>
  );
}
