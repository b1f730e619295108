import { useEffect, useMemo, useState } from 'react';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { communicationsApi, type Communication } from '../communications.api.js';
import { binaryString, parseEmail, withInlineImages } from './email-message.js';

type CopyState = { id: string; bytes?: ArrayBuffer; error?: unknown };

/** The archived bytes of one communication, fetched once per communication. */
function useCopyBytes(id: string, wanted: boolean) {
  const [state, setState] = useState<CopyState>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    communicationsApi.copy(id, controller.signal).then(
      (bytes) => setState({ id, bytes }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ id, error });
      },
    );
    return () => controller.abort();
  }, [id, wanted, generation]);
  const current = state?.id === id ? state : undefined;
  return { bytes: current?.bytes, error: current?.error, retry: () => setGeneration((count) => count + 1) };
}

const portalMessage = 'application/vnd.tidings.portal-message+json';

const kindOf = (mediaType: string) =>
  mediaType === 'message/rfc822'
    ? '.eml'
    : mediaType === 'application/pdf'
      ? 'PDF'
      : mediaType.startsWith('text/plain')
        ? 'text'
        : mediaType === portalMessage
          ? 'JSON'
          : 'file';

function EmailCopy({ raw }: { raw: ArrayBuffer }) {
  const [view, setView] = useState<'message' | 'text' | 'source'>('message');
  const message = useMemo(() => parseEmail(binaryString(new Uint8Array(raw))), [raw]);
  const views = [
    { value: 'message' as const, label: 'Message', available: message.html !== null },
    { value: 'text' as const, label: 'Plain text', available: message.text !== null },
    { value: 'source' as const, label: 'Source (.eml)', available: true },
  ].filter((candidate) => candidate.available);
  const shown = views.some((candidate) => candidate.value === view) ? view : 'source';
  return (
    <div className="comm-mail">
      <dl className="comm-mail-headers" aria-label="Email headers">
        <dt>Subject</dt>
        <dd className="strong">{message.subject || '(no subject)'}</dd>
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to}</dd>
        <dt>Date</dt>
        <dd>{message.date}</dd>
      </dl>
      <div className="comm-switch" role="group" aria-label="Show the email as">
        {views.map((candidate) => (
          <button
            key={candidate.value}
            type="button"
            className="comm-switch-option"
            aria-pressed={shown === candidate.value}
            onClick={() => setView(candidate.value)}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      {shown === 'message' && (
        <iframe
          className="comm-frame"
          title="Email as sent"
          sandbox=""
          srcDoc={withInlineImages(message.html!, message.images)}
        />
      )}
      {shown === 'text' && (
        <pre className="comm-pre" aria-label="Email as plain text">
          {message.text}
        </pre>
      )}
      {shown === 'source' && (
        <pre className="comm-pre comm-pre-source" aria-label="Email source">
          {new TextDecoder().decode(raw)}
        </pre>
      )}
    </div>
  );
}

function PortalCopy({ raw }: { raw: ArrayBuffer }) {
  let message: { subject?: string; html?: string } = {};
  try {
    message = JSON.parse(new TextDecoder().decode(raw)) as typeof message;
  } catch {
    return <p className="muted">The archived portal message is not readable here; download it instead.</p>;
  }
  return (
    <div className="comm-mail">
      <dl className="comm-mail-headers" aria-label="Portal message headers">
        <dt>Subject</dt>
        <dd className="strong">{message.subject || '(no subject)'}</dd>
      </dl>
      <iframe
        className="comm-frame comm-frame-short"
        title="Portal message as sent"
        sandbox=""
        srcDoc={message.html ?? ''}
      />
    </div>
  );
}

/**
 * The exact copy that was handed to the channel, shown as the recipient got it: an email with its
 * headers (and the raw .eml a click away), the letter or fax PDF, the SMS text, the portal message.
 * HTML is shown in a sandboxed frame, so nothing in it can run.
 */
export function ArchivedCopy({
  communication,
}: {
  communication: Pick<Communication, 'id' | 'archiveSha256' | 'archiveMediaType'>;
}) {
  const mediaType = communication.archiveMediaType ?? '';
  const isPdf = mediaType === 'application/pdf';
  const archived = communication.archiveSha256 !== null;
  const copy = useCopyBytes(communication.id, archived && !isPdf);
  const copyPath = communicationsApi.copyPath(communication.id);

  if (!archived)
    return (
      <p className="muted">
        Not rendered yet: the copy is archived the moment the channel is chosen and the message rendered.
      </p>
    );
  return (
    <div className="comm-copy">
      {isPdf ? (
        <object className="comm-frame comm-frame-pdf" data={copyPath} type="application/pdf" aria-label="PDF as sent">
          <p className="muted">This browser cannot show the PDF here; download it instead.</p>
        </object>
      ) : copy.error !== undefined ? (
        <ErrorNotice error={copy.error} onRetry={copy.retry} />
      ) : copy.bytes === undefined ? (
        <Loading what="the archived copy" />
      ) : mediaType === 'message/rfc822' ? (
        <EmailCopy raw={copy.bytes} />
      ) : mediaType.startsWith('text/plain') ? (
        <pre className="comm-pre comm-sms" aria-label="Text as sent">
          {new TextDecoder().decode(copy.bytes)}
        </pre>
      ) : mediaType === portalMessage ? (
        <PortalCopy raw={copy.bytes} />
      ) : (
        <p className="muted">This kind of copy ({mediaType}) cannot be shown here; download it instead.</p>
      )}
      <p className="comm-copy-actions">
        <a href={copyPath} download>
          Download the exact copy ({kindOf(mediaType)})
        </a>
        {(isPdf || mediaType.startsWith('text/plain')) && (
          <a href={copyPath} target="_blank" rel="noreferrer">
            Open in a new tab
          </a>
        )}
      </p>
    </div>
  );
}
