import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { AppError } from '../shared/errors.js';

export const DAV = 'DAV:';

/** A property's name: its namespace ('' for none) and local name. */
export type PropertyName = { namespace: string; name: string };

export const propertyKey = (property: PropertyName) => `{${property.namespace}}${property.name}`;

const ELEMENT_NODE = 1;

/** The request body as a document; anything not well-formed (a bad namespace declaration too) is a 400. */
export function parseXml(body: string): Element {
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(body, 'application/xml');
    if (!document.documentElement) throw new Error('no root element');
    return document.documentElement;
  } catch (error) {
    throw new AppError(
      'bad_request',
      'webdav.bad_xml',
      `The request body is not well-formed XML: ${(error as Error).message}`,
    );
  }
}

export const children = (element: Element): Element[] => {
  const found: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling)
    if (node.nodeType === ELEMENT_NODE) found.push(node as Element);
  return found;
};

export const isDav = (element: Element, name: string) => element.namespaceURI === DAV && element.localName === name;

export const nameOf = (element: Element): PropertyName => ({
  namespace: element.namespaceURI ?? '',
  name: element.localName ?? element.nodeName,
});

/** An element as text, declaring every namespace it uses, so it can be stored and sent back anywhere. */
export const serialize = (element: Element) => new XMLSerializer().serializeToString(element);

export const textOf = (element: Element) => element.textContent ?? '';

export function escapeXml(text: string) {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/** An empty element for a property name, its namespace declared on it (DAV: ones use the D prefix). */
export function emptyProperty(property: PropertyName) {
  if (property.namespace === DAV) return `<D:${property.name}/>`;
  return `<${property.name} xmlns="${escapeXml(property.namespace)}"/>`;
}

/** A DAV: property with a value already in XML. */
export const davProperty = (name: string, valueXml: string) =>
  valueXml === '' ? `<D:${name}/>` : `<D:${name}>${valueXml}</D:${name}>`;

export type Propstat = { status: number; properties: string[] };

const reasons: Record<number, string> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  423: 'Locked',
  424: 'Failed Dependency',
};

export const statusLine = (status: number) => `HTTP/1.1 ${status} ${reasons[status] ?? ''}`.trimEnd();

/** One resource's answer in a multistatus: its href and a propstat per status. */
export function response(href: string, propstats: Propstat[]) {
  const body = propstats
    .filter((propstat) => propstat.properties.length > 0)
    .map(
      (propstat) =>
        `<D:propstat><D:prop>${propstat.properties.join('')}</D:prop><D:status>${statusLine(propstat.status)}</D:status></D:propstat>`,
    )
    .join('');
  return `<D:response><D:href>${escapeXml(href)}</D:href>${body}</D:response>`;
}

/** A response that carries a status for the whole resource (a failed member of a DELETE or COPY). */
export const statusResponse = (href: string, status: number) =>
  `<D:response><D:href>${escapeXml(href)}</D:href><D:status>${statusLine(status)}</D:status></D:response>`;

export const multistatus = (responses: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">${responses.join('')}</D:multistatus>`;

/** An HTTP date as getlastmodified wants it (RFC 1123). */
export const httpDate = (date: Date) => date.toUTCString();
