import { useId, useState } from 'react';
import { formatFileSize } from './format.js';
import { messageOf } from './states.js';

type Uploaded = { sha256: string; filename: string; size: number };

/**
 * Files for a message: each is uploaded when picked, so the server checks its type and size at once;
 * a failed file is named, the others are kept. The same file may be picked again after removal.
 */
export function AttachmentsField<File_ extends Uploaded>({
  label,
  upload,
  attachments,
  onChange,
  className,
  listClassName,
}: {
  label: string;
  upload: (file: File) => Promise<File_>;
  attachments: File_[];
  onChange: (attachments: File_[]) => void;
  className?: string;
  listClassName: string;
}) {
  const id = useId();
  const [uploading, setUploading] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const pick = async (input: HTMLInputElement) => {
    setFailure(null);
    const picked = [...(input.files ?? [])];
    setUploading(picked.length);
    const added: File_[] = [];
    for (const file of picked) {
      try {
        added.push(await upload(file));
      } catch (error) {
        setFailure(`${file.name}: ${messageOf(error)}`);
      }
    }
    setUploading(0);
    input.value = '';
    onChange([...attachments, ...added.filter((file) => !attachments.some((had) => had.sha256 === file.sha256))]);
  };
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={`${id}-files`}>{label}</label>
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
        <ul className={listClassName} aria-label="Attached files">
          {attachments.map((attachment) => (
            <li key={attachment.sha256}>
              <span>{attachment.filename}</span> <span className="muted small">{formatFileSize(attachment.size)}</span>{' '}
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
