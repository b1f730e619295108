import { useQuery } from '@tanstack/react-query';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { keyOf } from '../../ui/use-api-data.js';
import { communicationsApi, type Communication } from '../communications.api.js';
import { EmailCopy } from './email-copy.js';

/** The archived bytes of one communication, fetched once per communication: an archived copy never changes. */
function useCopyBytes(id: string, wanted: boolean) {
  const copy = useQuery({
    queryKey: [...keyOf(communicationsApi.copyPath(id)), 'bytes'],
    queryFn: ({ signal }) => communicationsApi.copy(id, signal),
    enabled: wanted,
    staleTime: Infinity,
  });
  return { bytes: copy.data, error: copy.error ?? undefined, retry: () => void copy.refetch() };
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
  const allowed = may(useSignedInUser(), 'communications.copies');
  const copy = useCopyBytes(communication.id, allowed && archived && !isPdf);
  const copyPath = communicationsApi.copyPath(communication.id);

  if (!allowed) return <p className="muted">Your role shows that this was sent, not the copy itself.</p>;
  if (!archived)
    return (
      <p className="muted">
        Not rendered yet: the copy is archived the moment the channel is chosen and the message rendered.
      </p>
    );
  return (
    <div className="comm-copy">
      {isPdf ? (
        // A frame, not an object: the content security policy allows no plugins (object-src 'none').
        <iframe className="comm-frame comm-frame-pdf" src={copyPath} title="PDF as sent" />
      ) : copy.error !== undefined ? (
        <ErrorNotice error={copy.error} onRetry={copy.retry} />
      ) : copy.bytes === undefined ? (
        <Loading what="the archived copy" />
      ) : mediaType === 'message/rfc822' ? (
        <EmailCopy id={communication.id} raw={copy.bytes} />
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
