/**
 * Just enough of RFC 5322 and MIME to show an archived .eml as a mail client would: the headers a
 * person reads, the HTML and plain-text bodies, and inline images by Content-ID. Everything else in
 * the message is left alone; the raw source stays one click away.
 */
export type EmailMessage = {
  subject: string;
  from: string;
  to: string;
  date: string;
  html: string | null;
  text: string | null;
  /** Inline images as data: URLs, keyed by Content-ID without the angle brackets. */
  images: Map<string, string>;
};

type Part = { headers: Map<string, string>; body: string };

/** Bytes as a string of the same length (one char per byte), so MIME boundaries and encodings stay byte-exact. */
export function binaryString(bytes: Uint8Array): string {
  let result = '';
  for (let start = 0; start < bytes.length; start += 8192)
    result += String.fromCharCode(...bytes.subarray(start, start + 8192));
  return result;
}

const bytesOf = (binary: string) => Uint8Array.from(binary, (char) => char.charCodeAt(0));

function decodeText(bytes: Uint8Array, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function splitHead(source: string): Part {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  // Folded lines continue the header above them.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

/** `text/html; charset="utf-8"` → the type and its parameters. */
function contentTypeOf(part: Part): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (part.headers.get('content-type') ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const equals = param.indexOf('=');
    if (equals > 0)
      params[param.slice(0, equals).trim().toLowerCase()] = param
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeQuotedPrintable(binary: string): string {
  return binary
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The part's body as bytes (in a binary string), its transfer encoding undone. */
function contentOf(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') {
    try {
      return atob(part.body.replace(/[^A-Za-z0-9+/=]/g, ''));
    } catch {
      return part.body;
    }
  }
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** RFC 2047 encoded words in a header: `=?UTF-8?Q?Caf=C3=A9?=` → `Café`. */
export function decodeHeader(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, charset: string, encoding: string, text: string) => {
      const binary = encoding.toUpperCase() === 'B' ? atob(text) : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeText(bytesOf(binary), charset);
    });
}

function childrenOf(part: Part, boundary: string): Part[] {
  const delimiter = `--${boundary}`;
  const pieces = part.body.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // pieces[0] is the preamble; a piece starting with "--" is the closing delimiter and the epilogue.
  return pieces
    .slice(1)
    .filter((piece) => !piece.startsWith('--'))
    .map((piece) => splitHead(piece.replace(/^[ \t]*\r?\n/, '')));
}

/** Parses an .eml; parts it does not understand are skipped, never fatal. */
export function parseEmail(raw: string): EmailMessage {
  const message = splitHead(raw);
  const found: Pick<EmailMessage, 'html' | 'text' | 'images'> = { html: null, text: null, images: new Map() };
  const visit = (part: Part, depth: number) => {
    const { type, params } = contentTypeOf(part);
    if (type.startsWith('multipart/') && params.boundary && depth < 10) {
      for (const child of childrenOf(part, params.boundary)) visit(child, depth + 1);
      return;
    }
    const disposition = (part.headers.get('content-disposition') ?? '').toLowerCase();
    if (disposition.startsWith('attachment')) return;
    const content = contentOf(part);
    if (type === 'text/html' && found.html === null) found.html = decodeText(bytesOf(content), params.charset);
    else if (type === 'text/plain' && found.text === null) found.text = decodeText(bytesOf(content), params.charset);
    else if (type.startsWith('image/')) {
      const cid = part.headers.get('content-id')?.replace(/^<|>$/g, '');
      if (cid) found.images.set(cid, `data:${type};base64,${btoa(content)}`);
    }
  };
  visit(message, 0);
  const header = (name: string) => decodeHeader(message.headers.get(name) ?? '');
  return { subject: header('subject'), from: header('from'), to: header('to'), date: header('date'), ...found };
}

/** The HTML with its cid: references pointing at the message's own inline images. */
export function withInlineImages(html: string, images: Map<string, string>): string {
  if (images.size === 0) return html;
  return html.replace(
    /cid:([^"'\s)>]+)/g,
    (match, cid: string) => images.get(cid) ?? images.get(decodeURIComponent(cid)) ?? match,
  );
}
