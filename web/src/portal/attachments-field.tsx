import { useId, useState } from 'react';
import { messageOf } from '../ui/states.js';
import { portalApi, type PortalUpload } from './portal.api.js';

export const sizeLabel = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1_048_576
      ? `${Math.round(bytes / 1024)} KB`
      : `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Files for a request or a reply: each is uploaded when picked, so its type and size are checked at once. */
export function AttachmentsField({
  attachments,
  onChange,
}: {
  attachments: PortalUpload[];
  onChange: (attachments: PortalUpload[]) => void;
}) {
  const id = useId();
  const [uploading, setUploading] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const pick = async (input: HTMLInputElement) => {
    setFailure(null);
    const picked = [...(input.files ?? [])];
    setUploading(picked.length);
    const added: PortalUpload[] = [];
    for (const file of picked) {
      try {
        added.push(await portalApi.attach(file));
      } catch (error) {
        setFailure(`${file.name}: ${messageOf(error)}`);
      }
    }
    setUploading(0);
    // The same file can be picked again after it was removed.
    input.value = '';
    onChange([...attachments, ...added.filter((file) => !attachments.some((had) => had.sha256 === file.sha256))]);
  };
  return (
    <div className="field">
      <label htmlFor={`${id}-files`}>Attach files</label>
      <input id={`${id}-files`} type="file" multiple onChange={(event) => void pick(event.target)} />
      {uploading > 0 && (
        <p className="muted small" role="status">
          Uploading {uploading === 1 ? 'the file' : `${uploading} files`}…
        </p>
      )}
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {attachments.length > 0 && (
        <ul className="portal-files" aria-label="Attached files">
          {attachments.map((attachment) => (
            <li key={attachment.sha256}>
              <span>{attachment.filename}</span> <span className="muted small">{sizeLabel(attachment.size)}</span>
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove ${attachment.filename}`}
                onClick={() => onChange(attachments.filter((other) => other.sha256 !== attachment.sha256))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
