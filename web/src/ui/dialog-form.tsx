import type { ReactNode } from 'react';
import { Dialog } from './dialog.js';
import { FormActions, FormError, type FormState } from './form.js';

/**
 * The app's dialog form: a dialog holding one form, its general error above the fields (field
 * errors stand next to their fields), and Cancel beside a submit button that shows the form is sent.
 */
export function DialogForm<V extends Record<string, unknown>>({
  title,
  onClose,
  form,
  submitLabel,
  busyLabel,
  size,
  intro,
  noValidate,
  children,
}: {
  title: string;
  onClose: () => void;
  form: FormState<V>;
  submitLabel: string;
  busyLabel?: string;
  size?: 'normal' | 'small';
  /** Said before anything else, such as what the change will do. */
  intro?: ReactNode;
  /** Leaves checking to the server, whose messages stand next to the fields. */
  noValidate?: boolean;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose} size={size}>
      <form className="form" onSubmit={form.submit} noValidate={noValidate}>
        {intro}
        <FormError message={form.errors.general} />
        {children}
        <FormActions label={submitLabel} busyLabel={busyLabel} saving={form.saving} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
