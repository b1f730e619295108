import { AppError } from '../shared/errors.js';

/** One condition of an If header list: a state (lock) token or an entity tag, perhaps negated. */
export type IfCondition = { not: boolean } & ({ kind: 'token'; token: string } | { kind: 'etag'; etag: string });

/** A list of conditions (all must hold) for a resource: the request's own unless tagged. */
export type IfList = { resource: string | null; conditions: IfCondition[] };

const malformed = (why: string) =>
  new AppError('bad_request', 'webdav.bad_if_header', `The If header is malformed: ${why}.`, [
    { path: 'headers.if', message: why },
  ]);

/**
 * Parses an RFC 4918 If header (section 10.4): untagged lists apply to the request's resource,
 * tagged ones (`<url> (…)`) to the resource they name.
 */
export function parseIfHeader(header: string): IfList[] {
  const lists: IfList[] = [];
  let resource: string | null = null;
  let position = 0;
  const skipSpace = () => {
    while (position < header.length && /\s/.test(header[position]!)) position++;
  };
  const readUntil = (end: string) => {
    const close = header.indexOf(end, position + 1);
    if (close < 0) throw malformed(`an unclosed ${header[position]}`);
    const text = header.slice(position + 1, close);
    position = close + 1;
    return text;
  };
  for (skipSpace(); position < header.length; skipSpace()) {
    const next = header[position];
    if (next === '<') {
      resource = readUntil('>');
      skipSpace();
      if (header[position] !== '(') throw malformed('a resource tag must be followed by a list');
    } else if (next === '(') {
      position++;
      const conditions: IfCondition[] = [];
      for (skipSpace(); header[position] !== ')'; skipSpace()) {
        if (position >= header.length) throw malformed('an unclosed list');
        let not = false;
        if (header.slice(position, position + 3).toLowerCase() === 'not') {
          not = true;
          position += 3;
          skipSpace();
        }
        if (header[position] === '<') conditions.push({ not, kind: 'token', token: readUntil('>') });
        else if (header[position] === '[') conditions.push({ not, kind: 'etag', etag: readUntil(']') });
        else throw malformed(`unexpected "${header[position]}" in a list`);
      }
      position++;
      if (conditions.length === 0) throw malformed('an empty list');
      lists.push({ resource, conditions });
    } else {
      throw malformed(`unexpected "${next}"`);
    }
  }
  if (lists.length === 0) throw malformed('no list');
  return lists;
}

/** What a condition is checked against: the resource's entity tag and the lock tokens covering it. */
export type ResourceState = { etag: string | null; lockTokens: string[] };

/** Every state token named anywhere in the header: these are the lock tokens the request submits. */
export const submittedTokens = (lists: IfList[]) =>
  new Set(lists.flatMap((list) => list.conditions.flatMap((c) => (c.kind === 'token' ? [c.token] : []))));

const weakless = (etag: string) => etag.replace(/^W\//, '');

/** The header holds when any one list holds for its resource: every condition in it true (or, with Not, false). */
export function ifHeaderHolds(lists: IfList[], stateOf: (resource: string | null) => ResourceState) {
  return lists.some((list) => {
    const state = stateOf(list.resource);
    return list.conditions.every((condition) => {
      const matches =
        condition.kind === 'token'
          ? state.lockTokens.includes(condition.token)
          : state.etag !== null && weakless(state.etag) === weakless(condition.etag);
      return condition.not ? !matches : matches;
    });
  });
}
