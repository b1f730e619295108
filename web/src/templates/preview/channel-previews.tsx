import { Notice } from '../../ui/states.js';
import { useEffect, useRef, useState } from 'react';
import { formatNumber } from '../../ui/format.js';
import { channelLabels, type Channel } from '../template-vocabulary.js';
import type { ChannelOutcome, ChannelPreview, RenderFailure } from '../templates.api.js';
import { portalHtml } from './portal-html.js';

type Of<C extends ChannelPreview['channel']> = Extract<ChannelPreview, { channel: C }>;

/** The brand logo as a data URL, fetched once: a mail client shows cid: images from the message's parts. */
let brandLogo: Promise<string | null> | null = null;
const brandLogoDataUrl = () =>
  (brandLogo ??= fetch('/api/brand/logo', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.blob() : null))
    .then(
      (blob) =>
        blob &&
        new Promise<string>((resolve) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result));
          reader.readAsDataURL(blob);
        }),
    )
    .catch(() => null));

/** After a new logo is uploaded, previews fetch it again. */
export function forgetBrandLogo() {
  brandLogo = null;
}

/** The email HTML with its cid: logo resolved, as the customer's mail client would show it. */
function useMailHtml(html: string): string {
  const [logo, setLogo] = useState<string | null>(null);
  const usesLogo = html.includes('cid:');
  useEffect(() => {
    let current = true;
    if (usesLogo) void brandLogoDataUrl().then((dataUrl) => current && setLogo(dataUrl));
    return () => {
      current = false;
    };
  }, [usesLogo]);
  return logo ? html.replace(/cid:brand-logo@tidings/g, logo) : html;
}

function EmailPreview({ preview, recipient }: { preview: Of<'email'>; recipient: string }) {
  const [plain, setPlain] = useState(false);
  const html = useMailHtml(preview.html);
  return (
    <div className="mail">
      <div className="mail-header">
        <div className="mail-subject">{preview.subject}</div>
        <div className="mail-meta">
          To: {recipient}
          <button type="button" className="button button-small" aria-pressed={plain} onClick={() => setPlain(!plain)}>
            Plain text
          </button>
        </div>
      </div>
      {plain ? (
        <pre className="mail-text" aria-label="Email as plain text">
          {preview.text}
        </pre>
      ) : (
        <iframe className="mail-body" title="Email as HTML" sandbox="" srcDoc={html} />
      )}
    </div>
  );
}

function SmsPreview({ preview }: { preview: Of<'sms'> }) {
  return (
    <div className="phone">
      <div className="sms-bubble">{preview.text}</div>
      <p className="sms-meta">
        {preview.encoding} · {preview.segments} segment{preview.segments === 1 ? '' : 's'} ·{' '}
        {formatNumber(preview.characters)} characters
      </p>
    </div>
  );
}

/**
 * The PDF through a blob URL (Chromium's viewer refuses data: URLs), with its page count in words.
 * The URL lives only as long as the elements showing it, so the effect sets it on them directly.
 */
function PdfPreview({ preview, label }: { preview: Of<'letter' | 'fax'>; label: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    const bytes = Uint8Array.from(atob(preview.pdfBase64), (char) => char.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    if (frame.current) frame.current.src = url;
    if (link.current) link.current.href = url;
    return () => URL.revokeObjectURL(url);
  }, [preview.pdfBase64]);
  return (
    <div className="pdf">
      <p className="pdf-meta">
        <span>
          {preview.pages} page{preview.pages === 1 ? '' : 's'}
        </span>
        <a ref={link} target="_blank" rel="noreferrer">
          Open PDF
        </a>
      </p>
      {/* A frame, not an object: the content security policy allows no plugins (object-src 'none'). */}
      <iframe ref={frame} className="pdf-frame" title={`${label} PDF`} />
    </div>
  );
}

function PortalPreview({ preview }: { preview: Of<'portal'> }) {
  return (
    <div className="portal-message">
      <div className="portal-subject">{preview.subject}</div>
      <div className="portal-body" dangerouslySetInnerHTML={{ __html: portalHtml(preview.html) }} />
    </div>
  );
}

function RenderError({ error, onShow }: { error: RenderFailure; onShow?: () => void }) {
  const [channel, field] = error.field.split('.');
  const where = [
    channel && channel in channelLabels ? `${channelLabels[channel as Channel]}${field ? ` ${field}` : ''}` : null,
    error.line ? `line ${error.line}${error.column ? `, column ${error.column}` : ''}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <Notice tone="error" className="notice-inline">
      <span>
        Does not render: {error.message}
        {where && <span className="render-error-place"> ({where})</span>}
      </span>
      {onShow && (
        <button type="button" className="button button-small" onClick={onShow}>
          Show
        </button>
      )}
    </Notice>
  );
}

/** One channel as the customer would get it. */
export function ChannelCard({
  outcome,
  recipient,
  onShowError,
}: {
  outcome: ChannelOutcome;
  recipient: string;
  onShowError?: (error: RenderFailure) => void;
}) {
  const label = channelLabels[outcome.channel];
  const preview = outcome.preview;
  return (
    <section className="preview-channel" aria-label={`${label} preview`}>
      <h3>{label}</h3>
      {outcome.error && (
        <RenderError error={outcome.error} onShow={onShowError && (() => onShowError(outcome.error!))} />
      )}
      {preview?.channel === 'email' && <EmailPreview preview={preview} recipient={recipient} />}
      {preview?.channel === 'sms' && <SmsPreview preview={preview} />}
      {(preview?.channel === 'letter' || preview?.channel === 'fax') && <PdfPreview preview={preview} label={label} />}
      {preview?.channel === 'portal' && <PortalPreview preview={preview} />}
    </section>
  );
}
