const allowedTags = new Set([
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
const allowedAttributes = new Set(['href', 'src', 'alt', 'title', 'colspan', 'rowspan', 'align']);
const safeUrl = /^(https?:|mailto:|tel:|#|\/(?!\/))/i;
const safeImage = /^(https:|data:image\/(png|jpeg|gif|webp);)/i;

/**
 * The portal message as the portal shows it, with anything active taken out: unknown elements are
 * unwrapped (their text stays), scripts and styles dropped, and only plain links and images kept.
 */
export function sanitizeHtml(html: string): string {
  const document = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const clean = (node: Element) => {
    for (const child of [...node.children]) {
      const tag = child.tagName.toLowerCase();
      if (
        ['script', 'style', 'iframe', 'object', 'embed', 'form', 'template', 'noscript', 'svg', 'math'].includes(tag)
      ) {
        child.remove();
        continue;
      }
      clean(child);
      if (!allowedTags.has(tag)) {
        child.replaceWith(...child.childNodes);
        continue;
      }
      for (const attribute of [...child.attributes]) {
        const name = attribute.name.toLowerCase();
        const value = attribute.value.trim();
        const keep =
          allowedAttributes.has(name) &&
          (name !== 'href' || safeUrl.test(value)) &&
          (name !== 'src' || safeImage.test(value));
        if (!keep) child.removeAttribute(attribute.name);
      }
      if (tag === 'a') {
        child.setAttribute('target', '_blank');
        child.setAttribute('rel', 'noopener noreferrer');
      }
    }
  };
  clean(document.body);
  return document.body.innerHTML;
}
