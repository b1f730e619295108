import type { ReactNode } from 'react';

/**
 * A search snippet as the server sends it (the article's text escaped, the matched words in
 * `<mark>`), shown as text with only the marks kept: parsed as an inert document, never as markup.
 */
export function SearchSnippet({ html }: { html: string }) {
  const parts: ReactNode[] = [];
  new DOMParser().parseFromString(html, 'text/html').body.childNodes.forEach((node, index) => {
    parts.push(node.nodeName === 'MARK' ? <mark key={index}>{node.textContent}</mark> : node.textContent);
  });
  return <p className="kb-snippet">{parts}</p>;
}
