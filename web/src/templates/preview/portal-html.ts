import DOMPurify from 'dompurify';
import { portalPolicy } from '../../../../src/rendering/portal-policy.js';

// An instance of its own: its hooks apply to portal messages only.
const purifier = DOMPurify(window);
const scheme = /^([a-z][a-z0-9+.-]*):/i;

purifier.addHook('uponSanitizeAttribute', (element, data) => {
  const allowed = portalPolicy.attributes[element.nodeName.toLowerCase()] ?? [];
  if (!allowed.includes(data.attrName)) data.keepAttr = false;
  if (data.attrName === 'href') {
    const href = data.attrValue.trim();
    const named = scheme.exec(href)?.[1]?.toLowerCase();
    if (href.startsWith('//') || (named !== undefined && !portalPolicy.schemes.includes(named))) data.keepAttr = false;
  }
});
purifier.addHook('afterSanitizeAttributes', (element) => {
  if (element.nodeName === 'A') {
    element.setAttribute('rel', portalPolicy.link.rel);
    element.setAttribute('target', portalPolicy.link.target);
  }
});

const config = {
  ALLOWED_TAGS: portalPolicy.tags,
  ALLOWED_ATTR: [...new Set(Object.values(portalPolicy.attributes).flat())],
};

/**
 * A portal message as the portal shows it, held to the server's own portal policy: text structure
 * and links only (no images, nothing that runs, loads or styles), every link opening apart.
 */
export const portalHtml = (html: string): string => purifier.sanitize(html, config);
