import { escapeHtml } from '../rendering/escaping.js';
import { markdownToHtml, markdownToText } from '../rendering/markdown-blocks.js';
import { sanitizePortalHtml } from '../rendering/portal.js';

/** A slug: lower-case letters and digits in words joined by hyphens ("reset-your-password"). */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugMaxLength = 80;

/** The help centre's address of a public article: what a reply links to and the portal serves. */
export const helpArticlePath = (slug: string) => `/help/articles/${slug}`;

/** A slug from a title: accents dropped ("Rückzahlung" → "ruckzahlung"), anything else between words a hyphen. */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, slugMaxLength)
    .replace(/^-+|-+$/g, '');
  return slug || 'article';
}

/**
 * Where a search snippet's highlights start and stop: control characters no article text keeps
 * (`plainText` removes them), so the snippet can be escaped whole and only then marked.
 */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_STOP = '\u0003';

/** An article body as plain text, as search indexes it and snippets quote it. */
export const plainText = (markdown: string): string =>
  markdownToText(markdown).replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_STOP, '');

/** A snippet from ts_headline as HTML: the article's text escaped, the matched words in <mark>. */
export const snippetHtml = (headline: string): string =>
  escapeHtml(headline).replaceAll(HIGHLIGHT_START, '<mark>').replaceAll(HIGHLIGHT_STOP, '</mark>');

/**
 * An article's body for a reader or a reply: sanitized HTML under the portal's policy (what the help
 * centre and portal messages may contain: no scripts, styles or images) and plain text.
 */
export function renderArticle(markdown: string) {
  return { html: sanitizePortalHtml(markdownToHtml(markdown)), text: markdownToText(markdown) };
}
