import { useQuery } from '@tanstack/react-query';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { useState } from 'react';
import { formatDateTime } from '../../ui/format.js';
import { ErrorNotice, Loading } from '../../ui/states.js';
import { Segmented } from '../../ui/segmented.js';

const mailbox = (address: Address): string =>
  address.address === undefined
    ? `${address.name}: ${address.group.map(mailbox).join(', ')}`
    : address.name
      ? `${address.name} <${address.address}>`
      : address.address;

/** The Date header in the reader's locale; as written when it is not a date. */
const dateOf = (date: string) => (Number.isNaN(Date.parse(date)) ? date : formatDateTime(date, { seconds: true }));

/** Inline parts (`Content-ID: <logo@x>`) as data: URLs by their Content-ID without the angle brackets. */
function inlineImages(email: Email): Map<string, string> {
  const images = new Map<string, string>();
  for (const part of email.attachments) {
    if (part.contentId && part.mimeType.startsWith('image/') && typeof part.content === 'string')
      images.set(part.contentId.replace(/^<|>$/g, ''), `data:${part.mimeType};base64,${part.content}`);
  }
  return images;
}

/** The HTML with its cid: references pointing at the message's own inline images. */
function withInlineImages(html: string, images: Map<string, string>): string {
  if (images.size === 0) return html;
  return html.replace(
    /cid:([^"'\s)>]+)/g,
    (match, cid: string) => images.get(cid) ?? images.get(decodeURIComponent(cid)) ?? match,
  );
}

/**
 * An archived .eml as a mail client shows it: the headers a person reads, the HTML body (in a
 * sandboxed frame, its inline images resolved) or the plain text, and the raw source a click away.
 */
export function EmailCopy({ id, raw }: { id: string; raw: ArrayBuffer }) {
  const [view, setView] = useState<'message' | 'text' | 'source'>('message');
  // An archived copy never changes: it is parsed once per communication.
  const parsed = useQuery({
    queryKey: ['archived-email', id],
    queryFn: () => PostalMime.parse(raw, { attachmentEncoding: 'base64' }),
    staleTime: Infinity,
  });
  if (parsed.error) return <ErrorNotice error={parsed.error} />;
  if (!parsed.data) return <Loading what="the email" />;
  const message = parsed.data;
  const views = [
    { value: 'message' as const, label: 'Message', available: message.html !== undefined },
    { value: 'text' as const, label: 'Plain text', available: message.text !== undefined },
    { value: 'source' as const, label: 'Source (.eml)', available: true },
  ].filter((candidate) => candidate.available);
  const shown = views.some((candidate) => candidate.value === view) ? view : 'source';
  return (
    <div className="comm-mail">
      <dl className="comm-mail-headers" aria-label="Email headers">
        <dt>Subject</dt>
        <dd className="strong">{message.subject || '(no subject)'}</dd>
        <dt>From</dt>
        <dd>{message.from && mailbox(message.from)}</dd>
        <dt>To</dt>
        <dd>{message.to?.map(mailbox).join(', ')}</dd>
        <dt>Date</dt>
        <dd>{message.date && dateOf(message.date)}</dd>
      </dl>
      <Segmented
        label="Show the email as"
        className="segmented comm-switch"
        choices={views}
        value={shown}
        onChange={setView}
      />
      {shown === 'message' && (
        <iframe
          className="comm-frame"
          title="Email as sent"
          sandbox=""
          srcDoc={withInlineImages(message.html!, inlineImages(message))}
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
