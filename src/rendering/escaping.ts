/**
 * How a Liquid value is written into each kind of source:
 * - 'html': HTML-escaped (an author's MJML email);
 * - 'markdown': HTML-escaped and with Markdown punctuation backslash-escaped, so that a customer
 *   named `*Ann* [win](https://evil.example)` stays text in emails, letters and the portal;
 * - 'text': as is (SMS, subjects).
 */
export type OutputMode = 'html' | 'markdown' | 'text';

/** Liquid's own way of writing a value: arrays run together, nothing for nil. */
export function liquidString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(liquidString).join('');
  return String(value);
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

/** Safe inside <…>, where Markdown takes a URL or an address as it stands (escapes would show). */
const linkLike =
  /^(?:https?:\/\/[^\s<>"'`\\]+|mailto:[^\s<>"'`\\]+|[^\s<>"'`\\()[\],;:@]+@[^\s<>"'`\\()[\],;:@]+\.[a-z]{2,})$/i;

/**
 * A value stays text wherever it lands in Markdown: punctuation is backslash-escaped (`:`, `@` and
 * "www." too, so no link is made out of part of a value), characters HTML cares about become
 * entities (so raw HTML attributes stay closed), and newlines become hard breaks, so a value never
 * starts a list, heading or table row. A value that is just a URL or an email address is written
 * as an autolink, which also works as a link target: [pay]({{ data.payUrl }}).
 */
export function escapeMarkdown(text: string): string {
  if (linkLike.test(text)) return `<${text}>`;
  return escapeHtml(text.replace(/[\\`*_{}[\]()#|~:@]/g, '\\$&').replace(/\bwww\./gi, 'www\\.'))
    .replace(/\r\n?/g, '\n')
    .replace(/(^|\n)([ \t]*)([-+=])/g, '$1$2\\$3')
    .replace(/(^|\n)([ \t]*)(\d+)([.)])/g, '$1$2$3\\$4')
    .replace(/\n/g, '  \n');
}

export const escapeFor = (mode: OutputMode): ((text: string) => string) =>
  mode === 'html' ? escapeHtml : mode === 'markdown' ? escapeMarkdown : (text) => text;

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  euro: '€',
  copy: '©',
  reg: '®',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
};

/** Markdown text keeps entities as written (&lt;); text and PDF output need the characters. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name] ?? whole;
  });
}
