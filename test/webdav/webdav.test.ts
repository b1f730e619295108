import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { multipart, sendRaw } from '../documents/upload.js';
import { basic, DavClient, signedInToken } from './webdav-client.js';

type Signed = Awaited<ReturnType<typeof signedInToken>>;

const clock = testClock();
let t: TestApp;
let ann: Signed;
let bob: Signed;

const lockBody = (scope = 'exclusive') =>
  `<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  '<D:locktype><D:write/></D:locktype><D:owner>Ann on her laptop</D:owner></D:lockinfo>';

/** Each response of a multistatus: its href and the text of each property found (200). */
function multistatus(xml: string) {
  const root = new DOMParser().parseFromString(xml, 'application/xml').documentElement!;
  return Array.from(root.getElementsByTagNameNS('DAV:', 'response')).map((response) => {
    const found: Record<string, string> = {};
    for (const propstat of Array.from(response.getElementsByTagNameNS('DAV:', 'propstat'))) {
      if (!propstat.getElementsByTagNameNS('DAV:', 'status')[0]!.textContent!.includes(' 200 ')) continue;
      const prop = propstat.getElementsByTagNameNS('DAV:', 'prop')[0]!;
      for (let node = prop.firstChild; node; node = node.nextSibling)
        if (node.nodeType === 1) found[node.localName!] = (node as unknown as { toString(): string }).toString();
    }
    return { href: response.getElementsByTagNameNS('DAV:', 'href')[0]!.textContent!, found };
  });
}

async function documentAt(folderId: string, title: string) {
  const listed = await ann.api.get(`/api/documents?folderId=${folderId}`);
  const summary = listed.body.documents.find((document: { title: string }) => document.title === title);
  return summary ? (await ann.api.get(`/api/documents/${summary.id}`)).body : undefined;
}

async function folderNamed(name: string) {
  const { folders } = (await ann.api.get('/api/document-folders')).body as { folders: { id: string; name: string }[] };
  return folders.find((folder) => folder.name === name)!;
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  ann = await signedInToken(t, ['records_manager']);
  bob = await signedInToken(t, ['records_manager']);
});
afterAll(() => t.close());

describe('WebDAV share', () => {
  it('asks for the email and an API token, and refuses a token given with another email', async () => {
    const anonymous = await t.server.inject({ method: 'PROPFIND', url: '/dav/', headers: { depth: '0' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic realm="Tidings WebDAV"');
    const wrongUser = new DavClient(t, basic(bob.user.email, ann.secret));
    expect((await wrongUser.request('PROPFIND', '/dav/', { headers: { depth: '0' } })).status).toBe(401);
    const ok = await ann.client.request('OPTIONS', '/dav/');
    expect(ok.status).toBe(200);
    expect(ok.headers.dav).toBe('1, 2');
  });

  it('makes a new document with PUT and a new version with each PUT after, visible in the documents API', async () => {
    expect((await ann.client.request('MKCOL', '/dav/Contracts/')).status).toBe(201);
    const folder = await folderNamed('Contracts');
    const first = Buffer.from('Supply contract, draft 1\n');
    const created = await ann.client.request('PUT', '/dav/Contracts/Supply%20contract.txt', { body: first });
    expect(created.status).toBe(201);
    let document = await documentAt(folder.id, 'Supply contract.txt');
    expect(document).toMatchObject({
      currentVersion: {
        label: '1.0',
        sha256: createHash('sha256').update(first).digest('hex'),
        mediaType: 'text/plain',
      },
    });

    const second = Buffer.from('Supply contract, draft 2\n');
    expect((await ann.client.request('PUT', '/dav/Contracts/Supply%20contract.txt', { body: second })).status).toBe(
      204,
    );
    document = await documentAt(folder.id, 'Supply contract.txt');
    expect(document.currentVersion.label).toBe('1.1');
    expect(document.versions.map((version: { label: string }) => version.label)).toEqual(['1.1', '1.0']);
    const fetched = await ann.client.request('GET', '/dav/Contracts/Supply%20contract.txt');
    expect(fetched.text).toBe(second.toString());
    expect(fetched.headers.etag).toBe(`"${createHash('sha256').update(second).digest('hex').slice(0, 32)}"`);
    const head = await ann.client.request('HEAD', '/dav/Contracts/Supply%20contract.txt');
    expect(head.headers).toMatchObject({ etag: fetched.headers.etag, 'content-length': String(second.length) });
  });

  it('lists a folder with PROPFIND at depth 1: subfolders and documents with their size and type', async () => {
    await ann.client.request('MKCOL', '/dav/Listing/');
    await ann.client.request('MKCOL', '/dav/Listing/Archive/');
    await ann.client.request('PUT', '/dav/Listing/notes.md', { body: '# Notes\n' });
    const listed = await ann.client.request('PROPFIND', '/dav/Listing/', { headers: { depth: '1' } });
    expect(listed.status).toBe(207);
    const responses = multistatus(listed.text);
    expect(responses.map((response) => response.href)).toEqual([
      '/dav/Listing/',
      '/dav/Listing/Archive/',
      '/dav/Listing/notes.md',
    ]);
    expect(responses[0]!.found.resourcetype).toContain('collection');
    expect(responses[2]!.found.getcontentlength).toContain('>8<');
    expect(responses[2]!.found.getcontenttype).toContain('text/markdown');
  });

  it('names two documents of one title apart, and a document named like a subfolder too', async () => {
    await ann.client.request('MKCOL', '/dav/Twins/');
    await ann.client.request('MKCOL', '/dav/Twins/Report/');
    const folder = await folderNamed('Twins');
    // The older document keeps the plain name; uploads a second apart are told apart by age.
    const upload = async (title: string, text: string) => {
      clock.advance(1_000);
      const file = { filename: 'r.txt', mediaType: 'text/plain', bytes: Buffer.from(text) };
      return sendRaw(ann.api, 'POST', '/api/documents', { form: multipart({ folderId: folder.id, title }, file) });
    };
    const first = (await upload('report.txt', 'first')).body;
    const second = (await upload('report.txt', 'second')).body;
    const third = (await upload('Report', 'third')).body;

    const listed = multistatus((await ann.client.request('PROPFIND', '/dav/Twins/', { headers: { depth: '1' } })).text);
    expect(listed.map((response) => response.href)).toEqual([
      '/dav/Twins/',
      '/dav/Twins/Report/',
      '/dav/Twins/report.txt',
      `/dav/Twins/report%20(${second.id.slice(0, 8)}).txt`,
      `/dav/Twins/Report%20(${third.id.slice(0, 8)})`,
    ]);
    expect(first.id).not.toBe(second.id);
    expect((await ann.client.request('GET', '/dav/Twins/report.txt')).text).toBe('first');
    expect((await ann.client.request('GET', `/dav/Twins/report%20(${second.id.slice(0, 8)}).txt`)).text).toBe('second');
    expect((await ann.client.request('GET', `/dav/Twins/Report%20(${third.id.slice(0, 8)})`)).text).toBe('third');
  });

  it('checks a document out with LOCK: the API shows it, another user cannot PUT (423), UNLOCK checks in what was PUT', async () => {
    await ann.client.request('MKCOL', '/dav/Offers/');
    const folder = await folderNamed('Offers');
    await ann.client.request('PUT', '/dav/Offers/offer.txt', { body: 'Offer v1\n' });
    const locked = await ann.client.request('LOCK', '/dav/Offers/offer.txt', {
      body: lockBody(),
      headers: { timeout: 'Second-1800', 'content-type': 'application/xml' },
    });
    expect(locked.status).toBe(200);
    const token = /^<(.+)>$/.exec(String(locked.headers['lock-token']))![1]!;
    expect(locked.text).toContain('Ann on her laptop');

    let document = await documentAt(folder.id, 'offer.txt');
    expect(document.lock).toMatchObject({ by: { id: ann.user.id } });
    expect(new Date(document.lock.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 60_000);

    const refused = await bob.client.request('PUT', '/dav/Offers/offer.txt', { body: 'Bob was here\n' });
    expect(refused.status).toBe(423);
    expect(
      (await bob.client.request('PUT', '/dav/Offers/offer.txt', { body: 'x', headers: { if: `(<${token}>)` } })).status,
    ).toBe(423);
    // Ann's own client without the token is refused too: the token proves which editor holds the lock.
    expect((await ann.client.request('PUT', '/dav/Offers/offer.txt', { body: 'x' })).status).toBe(423);

    const saved = await ann.client.request('PUT', '/dav/Offers/offer.txt', {
      body: 'Offer v2\n',
      headers: { if: `(<${token}>)` },
    });
    expect(saved.status).toBe(204);
    expect(
      (await ann.client.request('UNLOCK', '/dav/Offers/offer.txt', { headers: { 'lock-token': `<${token}>` } })).status,
    ).toBe(204);
    document = await documentAt(folder.id, 'offer.txt');
    expect(document.lock).toBeNull();
    expect(document.currentVersion.label).toBe('1.1');
    const audit = await ann.api.get(`/api/audit?entityType=document&entityId=${document.id}`);
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining(['document.checked_out', 'document.version_added', 'document.checked_in']),
    );

    // A lock with nothing PUT under it is a cancelled check-out: no new version.
    const again = await ann.client.request('LOCK', '/dav/Offers/offer.txt', { body: lockBody() });
    const second = /^<(.+)>$/.exec(String(again.headers['lock-token']))![1]!;
    await ann.client.request('UNLOCK', '/dav/Offers/offer.txt', { headers: { 'lock-token': `<${second}>` } });
    document = await documentAt(folder.id, 'offer.txt');
    expect(document).toMatchObject({ lock: null, currentVersion: { label: '1.1' } });
  });

  it('refuses to delete a locked document (423) until the holder sends the token', async () => {
    await ann.client.request('MKCOL', '/dav/Locked/');
    const folder = await folderNamed('Locked');
    await ann.client.request('PUT', '/dav/Locked/keep.txt', { body: 'keep\n' });
    const locked = await ann.client.request('LOCK', '/dav/Locked/keep.txt', { body: lockBody() });
    const token = /^<(.+)>$/.exec(String(locked.headers['lock-token']))![1]!;

    expect((await bob.client.request('DELETE', '/dav/Locked/keep.txt')).status).toBe(423);
    expect((await bob.client.request('DELETE', '/dav/Locked/')).status).toBe(423);
    expect((await documentAt(folder.id, 'keep.txt')).status).toBe('active');

    expect(
      (await ann.client.request('DELETE', '/dav/Locked/keep.txt', { headers: { if: `(<${token}>)` } })).status,
    ).toBe(204);
    expect(await documentAt(folder.id, 'keep.txt')).toBeUndefined();
    expect((await ann.client.request('GET', '/dav/Locked/keep.txt')).status).toBe(404);
  });

  it('deletes a folder with its documents as the documents service does: kept as deleted, moved up a folder', async () => {
    await ann.client.request('MKCOL', '/dav/Projects/');
    await ann.client.request('MKCOL', '/dav/Projects/Old/');
    await ann.client.request('PUT', '/dav/Projects/Old/plan.txt', { body: 'plan\n' });
    const old = await folderNamed('Old');
    const plan = await documentAt(old.id, 'plan.txt');

    expect((await ann.client.request('DELETE', '/dav/Projects/Old/')).status).toBe(204);
    expect((await ann.client.request('PROPFIND', '/dav/Projects/Old/', { headers: { depth: '0' } })).status).toBe(404);
    const kept = await ann.api.get(`/api/documents/${plan.id}`);
    expect(kept.body).toMatchObject({ status: 'deleted', folderId: (await folderNamed('Projects')).id });
    // A top-level folder has no parent to keep deleted documents in, so it goes only when truly empty.
    expect((await ann.client.request('DELETE', '/dav/Projects/')).status).toBe(409);
  });

  it('keeps a document under legal hold: DELETE and PUT over WebDAV are refused', async () => {
    await ann.client.request('MKCOL', '/dav/Held/');
    const folder = await folderNamed('Held');
    await ann.client.request('PUT', '/dav/Held/evidence.txt', { body: 'evidence\n' });
    const document = await documentAt(folder.id, 'evidence.txt');
    const hold = await ann.api.post('/api/legal-holds', {
      matter: 'Smith v. Tidings',
      scope: [{ kind: 'document', targetId: document.id }],
    });
    expect(hold.status).toBe(201);

    const deleted = await ann.client.request('DELETE', '/dav/Held/evidence.txt');
    expect(deleted.status).toBe(409);
    expect(deleted.text).toContain('Smith v. Tidings');
    expect((await ann.client.request('PUT', '/dav/Held/evidence.txt', { body: 'altered\n' })).status).toBe(409);
    expect(await documentAt(folder.id, 'evidence.txt')).toMatchObject({
      status: 'active',
      currentVersion: { label: '1.0' },
    });
  });

  it('lets only those who may: no documents.read, no share; a viewer and a read-only token may look but not write', async () => {
    // Every role reads documents, so the user without documents.read is one made with no role at all.
    const nobody = await signedInToken(t, []);
    expect((await nobody.client.request('PROPFIND', '/dav/', { headers: { depth: '1' } })).status).toBe(403);
    expect((await nobody.client.request('GET', '/dav/Contracts/Supply%20contract.txt')).status).toBe(403);
    const viewer = await signedInToken(t, ['viewer']);
    expect((await viewer.client.request('PROPFIND', '/dav/Contracts/', { headers: { depth: '1' } })).status).toBe(207);
    expect((await viewer.client.request('PUT', '/dav/Contracts/mine.txt', { body: 'x' })).status).toBe(403);
    const reader = await signedInToken(t, ['author'], 'read');
    expect((await reader.client.request('GET', '/dav/Contracts/Supply%20contract.txt')).status).toBe(200);
    expect((await reader.client.request('MKCOL', '/dav/Contracts/Sub/')).status).toBe(403);
  });
});
