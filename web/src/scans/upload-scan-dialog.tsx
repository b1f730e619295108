import { FileField, UploadProgress, useUploadProgress } from '../documents/file-upload.js';
import { DialogForm } from '../ui/dialog-form.js';
import { useForm } from '../ui/form.js';
import { scansApi, type Scan } from './scans.api.js';

/** Uploads one scan; its job then reads it and files it, which the list shows as it happens. */
export function UploadScanDialog({ onClose, onUploaded }: { onClose: () => void; onUploaded: (scan: Scan) => void }) {
  const progress = useUploadProgress();
  const form = useForm({ file: null as File | null }, async ({ file }) => {
    // The file box is required: the browser asks for a file before the form is sent.
    if (!file) return;
    const uploaded = await progress.track((onProgress) => scansApi.upload(file, onProgress));
    onUploaded(uploaded);
    onClose();
  });
  return (
    <DialogForm
      title="Upload a scan"
      onClose={onClose}
      form={form}
      submitLabel="Upload"
      busyLabel="Uploading…"
      intro={
        <p className="muted">
          A customer’s paper answer, scanned or photographed: a PDF, PNG, JPEG or TIFF. Tidings reads the reference code
          its letter printed (the QR code, else the printed “Ref. TDG-…”) and files it on that customer with a ticket.
        </p>
      }
    >
      <FileField
        id={form.idOf('file')}
        label="Scan"
        required
        error={form.errors.fields.file}
        onChoose={(file) => form.set('file', file)}
      />
      <UploadProgress sent={progress.sent} />
    </DialogForm>
  );
}
