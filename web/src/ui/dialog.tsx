import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog: open while rendered; Escape, the close button and `onClose` all dismiss it. */
export function Dialog({
  title,
  onClose,
  size = 'normal',
  children,
}: {
  title: string;
  onClose: () => void;
  size?: 'normal' | 'small';
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog
      ref={ref}
      className={size === 'small' ? 'dialog dialog-small' : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
