/**
 * What a portal message may contain: text structure and links; nothing that runs, loads or styles.
 * No images either: a remote image in the inbox would tell a third party when the customer read it.
 * Plain data, so that the server's sanitizer (sanitize-html) and the web app's previews (DOMPurify)
 * apply the same policy.
 */
export const portalPolicy: {
  tags: string[];
  attributes: Record<string, string[]>;
  schemes: string[];
  link: { rel: string; target: string };
} = {
  tags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'del',
    'a',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'code',
    'pre',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  attributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  /** URL schemes a link may use; protocol-relative links (`//host`) are refused. */
  schemes: ['https', 'http', 'mailto', 'tel'],
  /** Every link opens apart from the portal and tells the target nothing. */
  link: { rel: 'noopener noreferrer nofollow', target: '_blank' },
};
