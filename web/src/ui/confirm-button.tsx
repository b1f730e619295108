import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog.js';
import { FormError } from './form.js';
import { messageOf } from './states.js';

/** A button that asks once more, in a small dialog, before it does something hard to undo. */
export function ConfirmButton({
  label,
  question,
  consequence,
  confirmLabel = label,
  onConfirm,
  danger = false,
  disabledReason,
}: {
  label: string;
  question: string;
  /** What will happen, said plainly under the question. */
  consequence?: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
  /** When set, the button is disabled and this says why. */
  disabledReason?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    setAsking(false);
    setFailure(null);
  };
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      setAsking(false);
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={danger ? 'button button-small button-danger-quiet' : 'button button-small'}
        disabled={disabledReason !== undefined}
        title={disabledReason}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
      {asking && (
        <Dialog title={question} onClose={close} size="small">
          <div className="form">
            {consequence && <p>{consequence}</p>}
            <FormError message={failure} />
            <div className="form-actions">
              <button type="button" className="button" disabled={busy} onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                className={danger ? 'button button-danger' : 'button button-primary'}
                disabled={busy}
                onClick={confirm}
              >
                {busy ? 'Working…' : confirmLabel}
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </>
  );
}
