import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog.js';
import { FormError, useSubmission } from './form.js';
import { messageOf } from './states.js';

type Question = {
  question: string;
  /** What will happen, said plainly under the question. */
  consequence?: ReactNode;
  onConfirm: () => Promise<void>;
  danger?: boolean;
};

/** A button that asks once more, in a small dialog, before it does something hard to undo. */
export function ConfirmButton({
  label,
  confirmLabel = label,
  disabledReason,
  ...asked
}: Question & {
  label: string;
  confirmLabel?: string;
  /** When set, the button is disabled and this says why. */
  disabledReason?: string;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className={asked.danger ? 'button button-small button-danger-quiet' : 'button button-small'}
        disabled={disabledReason !== undefined}
        title={disabledReason}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
      {asking && <Confirmation {...asked} confirmLabel={confirmLabel} onClose={() => setAsking(false)} />}
    </>
  );
}

/** The question, asked in a small dialog; a failure stays in it until it is closed (and is gone when asked again). */
function Confirmation({
  question,
  consequence,
  onConfirm,
  danger = false,
  confirmLabel,
  onClose,
}: Question & { confirmLabel: string; onClose: () => void }) {
  const confirm = useSubmission(async () => {
    await onConfirm();
    onClose();
  });
  return (
    <Dialog title={question} onClose={onClose} size="small">
      <div className="form">
        {consequence && <p>{consequence}</p>}
        <FormError message={confirm.error === undefined ? null : messageOf(confirm.error)} />
        <div className="form-actions">
          <button type="button" className="button" disabled={confirm.saving} onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            disabled={confirm.saving}
            onClick={() => void confirm.run()}
          >
            {confirm.saving ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
