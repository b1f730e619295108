import { Field, FormError, RunButton, useSubmission } from '../../ui/form.js';
import { messageOf } from '../../ui/states.js';
import { StatusBadge } from '../status-badge.js';
import type { VersionSummary } from '../templates.api.js';

/** Why "Submit for review" cannot be pressed now, or null when it can. */
function submitBlocker(latest: VersionSummary | undefined, dirty: boolean): string | null {
  if (!latest) return 'Save the template first.';
  if (dirty) return 'Save your changes as a new version first.';
  if (latest.status === 'changes_requested')
    return 'Changes were requested: save a new version with them, then submit it.';
  if (latest.status !== 'draft') return `Version ${latest.number} is no longer a draft.`;
  return null;
}

/** The change note, Save (a new version each time) and Submit for review of the latest version. */
export function EditorActions({
  changeNote,
  onChangeNote,
  changeNoteError,
  canAuthor,
  dirty,
  saving,
  onSave,
  latest,
  onSubmit,
}: {
  changeNote: string;
  onChangeNote: (note: string) => void;
  changeNoteError?: string;
  canAuthor: boolean;
  dirty: boolean;
  saving: boolean;
  onSave: () => Promise<void>;
  latest: VersionSummary | undefined;
  onSubmit: () => Promise<void>;
}) {
  const submission = useSubmission(onSubmit);
  if (!canAuthor) {
    return <p className="card muted">You can read this template; authors write and save versions.</p>;
  }
  const blocker = submitBlocker(latest, dirty);
  return (
    <section className="card editor-actions" aria-label="Save and submit">
      <Field
        label="Change note"
        htmlFor="change-note"
        error={changeNoteError}
        hint="What changed and why, for the reviewer."
      >
        <input
          id="change-note"
          value={changeNote}
          maxLength={1000}
          onChange={(event) => onChangeNote(event.target.value)}
          placeholder="Clearer subject; the letter now carries the disclosure"
        />
      </Field>
      <div className="editor-buttons">
        <div className="muted small">
          {latest ? (
            <>
              Latest: version {latest.number} <StatusBadge status={latest.status} />
              {dirty && ' · unsaved changes'}
            </>
          ) : (
            'Not saved yet'
          )}
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={saving || !dirty}
          onClick={() => void onSave()}
        >
          {saving ? 'Saving…' : 'Save version'}
        </button>
        <RunButton
          submission={submission}
          disabled={blocker !== null}
          title={blocker ?? undefined}
          label="Submit for review"
          busyLabel="Submitting…"
        />
      </div>
      {blocker && latest && !dirty && <p className="muted small">{blocker}</p>}
      <FormError message={submission.error === undefined ? null : messageOf(submission.error)} />
    </section>
  );
}
