import { useId, useState } from 'react';
import { CommentsPanel, type CommentSubjectKind } from './comments-panel.js';

/** Comments behind a button, for a record shown among many (a goal on the board): asked for only when opened. */
export function CommentsDisclosure({
  subject,
  label,
}: {
  subject: { kind: CommentSubjectKind; id: string };
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="comments-disclosure">
      <button
        type="button"
        className="button button-small"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`${open ? 'Hide' : 'Show'} comments on ${label}`}
        onClick={() => setOpen((shown) => !shown)}
      >
        {open ? 'Hide comments' : 'Comments'}
      </button>
      <div id={panelId}>{open && <CommentsPanel subject={subject} />}</div>
    </div>
  );
}
