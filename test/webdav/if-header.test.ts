import { describe, expect, it } from 'vitest';
import { ifHeaderHolds, parseIfHeader, submittedTokens } from '../../src/webdav/if-header.js';
import { lockSeconds, MAX_LOCK_SECONDS } from '../../src/webdav/webdav-locks.js';

const token = 'urn:uuid:3f1e2d4c-0000-4000-8000-000000000001';
const etag = '"0123456789abcdef0123456789abcdef"';
const locked = { etag, lockTokens: [token] };

describe('If header (RFC 4918 section 10.4)', () => {
  it.each([
    [`(<${token}> [${etag}])`, true],
    [`(<DAV:no-lock> [${etag}])`, false],
    [`(<${token}>) (Not <DAV:no-lock>)`, true],
    [`(<${token}x>) (Not <DAV:no-lock>)`, true],
    [`(<${token}> ["other"]) (Not <DAV:no-lock> ["other"])`, false],
    [`(Not <${token}>)`, false],
    [`([W/${etag}])`, true],
  ])('%s holds: %s', (header, holds) => {
    expect(ifHeaderHolds(parseIfHeader(header), () => locked)).toBe(holds);
  });

  it('checks a tagged list against the resource it names, and submits every token named', () => {
    const lists = parseIfHeader(`<http://host/dav/A/> (<${token}>) <http://host/dav/A/b.txt> (["x"])`);
    expect(lists.map((list) => list.resource)).toEqual(['http://host/dav/A/', 'http://host/dav/A/b.txt']);
    const stateOf = (resource: string | null) =>
      resource === 'http://host/dav/A/' ? locked : { etag: null, lockTokens: [] };
    expect(ifHeaderHolds(lists, stateOf)).toBe(true);
    expect([...submittedTokens(lists)]).toEqual([token]);
  });

  it.each(['', '(', `(<${token}>`, '()', '<http://host/dav/>', 'junk'])(
    'refuses the malformed %j with 400',
    (header) => {
      expect(() => parseIfHeader(header)).toThrow(
        expect.objectContaining({ kind: 'bad_request', code: 'webdav.bad_if_header' }),
      );
    },
  );
});

describe('lock timeout', () => {
  it.each([
    ['Second-3600', 3600],
    ['Infinite, Second-4100000000', MAX_LOCK_SECONDS],
    ['Second-5', 60],
    [undefined, MAX_LOCK_SECONDS],
    ['bogus, Second-120', 120],
  ])('%s lasts %i seconds', (header, seconds) => {
    expect(lockSeconds(header)).toBe(seconds);
  });
});
