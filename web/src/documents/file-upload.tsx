import { useState } from 'react';
import { DialogForm } from '../ui/dialog-form.js';
import { Field, TextAreaField, useForm } from '../ui/form.js';
import { formatNumber } from '../ui/format.js';
import type { NewContent, Progress } from './documents.api.js';

/** A labelled file box; the chosen file goes to `onChoose` (none when emptied). */
export function FileField({
  id,
  label,
  hint,
  error,
  required = false,
  onChoose,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  onChoose: (file: File | null) => void;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <input id={id} type="file" required={required} onChange={(event) => onChoose(event.target.files?.[0] ?? null)} />
    </Field>
  );
}

/** How much of an upload has reached the server, while it is sent. */
export function UploadProgress({ sent }: { sent: number | null }) {
  if (sent === null) return null;
  const percent = Math.round(sent * 100);
  return (
    <div className="documents-progress">
      <progress max={100} value={percent} aria-label="Upload progress" />
      <span className="muted small">{percent < 100 ? `${formatNumber(percent)} % sent` : 'Stored, checking…'}</span>
    </div>
  );
}

/** Sends an upload with its progress shown: `sent` is null until it starts and after it ends. */
export function useUploadProgress() {
  const [sent, setSent] = useState<number | null>(null);
  const track = async <T,>(upload: (onProgress: Progress) => Promise<T>) => {
    setSent(0);
    try {
      return await upload(setSent);
    } finally {
      setSent(null);
    }
  };
  return { sent, track };
}

/**
 * A new file for a document (a new version, or a check-in): minor or major, with a comment. A
 * check-in may go without a file, releasing the lock only.
 */
export function NewContentDialog({
  title,
  submitLabel,
  fileRequired,
  send,
  onClose,
}: {
  title: string;
  submitLabel: string;
  fileRequired: boolean;
  send: (content: NewContent, onProgress: Progress) => Promise<unknown>;
  onClose: () => void;
}) {
  const progress = useUploadProgress();
  const form = useForm<NewContent>({ file: null, major: false, comment: '' }, async (content) => {
    await progress.track((onProgress) => send(content, onProgress));
    onClose();
  });
  return (
    <DialogForm title={title} onClose={onClose} form={form} submitLabel={submitLabel} busyLabel="Uploading…">
      <FileField
        id={form.idOf('file')}
        label="File"
        required={fileRequired}
        hint={fileRequired ? undefined : 'Leave empty to check in without changes.'}
        error={form.errors.fields.file}
        onChoose={(file) => form.set('file', file)}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.values.major}
          onChange={(event) => form.set('major', event.target.checked)}
        />
        A major version (2.0 after 1.3), not a minor one (1.4)
      </label>
      <TextAreaField form={form} name="comment" label="What changed" rows={3} />
      <UploadProgress sent={progress.sent} />
    </DialogForm>
  );
}
