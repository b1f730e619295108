import type { Readable } from 'node:stream';
import { AppError } from '../shared/errors.js';
import type { PropertyChange, PropertyRequest } from './webdav-properties.js';
import { children, isDav, nameOf, parseXml, serialize } from './webdav-xml.js';
import type { WebdavLockScope } from './webdav.tables.js';

/** A request body as text, at most `maxBytes`; an absent body is empty. */
export async function readText(stream: Readable | undefined, maxBytes: number) {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes)
      throw new AppError(
        'payload_too_large',
        'webdav.body_too_large',
        `The request body is larger than ${maxBytes} bytes.`,
      );
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const badBody = (message: string) =>
  new AppError('bad_request', 'webdav.bad_body', message, [{ path: 'body', message }]);

/** PROPFIND's body: none means every property; otherwise allprop, propname or the named props. */
export function propertyRequestOf(body: string): PropertyRequest {
  if (body.trim() === '') return { kind: 'allprop' };
  const root = parseXml(body);
  if (!isDav(root, 'propfind')) throw badBody('The body of a PROPFIND must be a DAV:propfind element.');
  for (const element of children(root)) {
    if (isDav(element, 'allprop')) return { kind: 'allprop' };
    if (isDav(element, 'propname')) return { kind: 'propname' };
    if (isDav(element, 'prop')) return { kind: 'prop', names: children(element).map(nameOf) };
  }
  throw badBody('A DAV:propfind names allprop, propname or prop.');
}

/** PROPPATCH's body: set and remove instructions in document order. */
export function propertyChangesOf(body: string): PropertyChange[] {
  const root = parseXml(body);
  if (!isDav(root, 'propertyupdate')) throw badBody('The body of a PROPPATCH must be a DAV:propertyupdate element.');
  const changes: PropertyChange[] = [];
  for (const instruction of children(root)) {
    const action = isDav(instruction, 'set') ? 'set' : isDav(instruction, 'remove') ? 'remove' : null;
    if (!action) continue;
    for (const prop of children(instruction).filter((element) => isDav(element, 'prop')))
      for (const element of children(prop))
        changes.push(
          action === 'set'
            ? { action, property: nameOf(element), valueXml: serialize(element) }
            : { action, property: nameOf(element) },
        );
  }
  if (changes.length === 0) throw badBody('A DAV:propertyupdate sets or removes at least one property.');
  return changes;
}

/** LOCK's body: the scope and the owner to echo back; no body means a refresh. */
export function lockRequestOf(body: string): { scope: WebdavLockScope; ownerXml: string } | null {
  if (body.trim() === '') return null;
  const root = parseXml(body);
  if (!isDav(root, 'lockinfo')) throw badBody('The body of a LOCK must be a DAV:lockinfo element.');
  const part = (name: string) => children(root).find((element) => isDav(element, name));
  const scope = children(part('lockscope') ?? root).find(
    (element) => isDav(element, 'exclusive') || isDav(element, 'shared'),
  );
  if (!scope) throw badBody('A DAV:lockinfo names its lockscope: exclusive or shared.');
  const type = part('locktype');
  if (!type || !children(type).some((element) => isDav(element, 'write')))
    throw badBody('Only write locks exist: DAV:locktype must be DAV:write.');
  const owner = part('owner');
  return { scope: scope.localName as WebdavLockScope, ownerXml: owner ? serialize(owner) : '' };
}
