import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { unzip } from '../support/zip.js';
import { signedInToken } from '../webdav/webdav-client.js';
import { multipart, pdfBytes, sendRaw } from './upload.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;
type Grant = { subjectType: 'user' | 'team' | 'role'; subjectId: string; level: 'none' | 'read' | 'write' | 'manage' };

let t: TestApp;
let admin: Client;
let member: Client;
let teamViewer: Client;
let outsider: Client;
let recordsManager: Client;
let teamId: string;
let top: string;
let inner: string;
let topDocument: string;
let innerDocument: string;

async function folder(name: string, parentId: string | null) {
  const created = await admin.post('/api/document-folders', { name, parentId });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function upload(folderId: string, title: string, as: Client = admin) {
  const uploaded = await sendRaw(as, 'POST', '/api/documents', {
    form: multipart({ folderId, title }, { filename: `${title}.pdf`, mediaType: 'application/pdf', bytes: pdfBytes() }),
  });
  return uploaded;
}

const grant = (kind: 'document-folders' | 'documents', id: string, grants: Grant[], as: Client = admin) =>
  as.put(`/api/${kind}/${id}/permissions`, { grants });

const listed = async (as: Client, query = '') =>
  ((await as.get(`/api/documents?limit=500${query}`)).body.documents as { id: string }[]).map((d) => d.id);

const folderIds = async (as: Client) =>
  ((await as.get('/api/document-folders')).body.folders as { id: string }[]).map((f) => f.id);

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
  member = await t.signedIn(['agent']);
  teamViewer = await t.signedIn(['viewer']);
  outsider = await t.signedIn(['agent']);
  recordsManager = await t.signedIn(['records_manager']);
  const team = await admin.post('/api/teams', {
    name: 'Legal',
    memberIds: [member.user.id, teamViewer.user.id],
  });
  expect(team.status).toBe(201);
  teamId = team.body.id;
  top = await folder('Legal', null);
  inner = await folder('Board minutes', top);
  topDocument = (await upload(top, 'Kestrel agreement')).body.id;
  innerDocument = (await upload(inner, 'Kestrel minutes')).body.id;
}, 180_000);
afterAll(() => t.close());

describe('without grants', () => {
  it('leaves access to the role policy, as before', async () => {
    expect(await listed(outsider)).toEqual(expect.arrayContaining([topDocument, innerDocument]));
    const permissions = await outsider.get(`/api/documents/${innerDocument}/permissions`);
    expect(permissions.body).toMatchObject({
      level: 'write',
      governed: false,
      grants: [],
      inherited: [],
      candidates: null,
    });
  });
});

describe('grants on folders and documents', () => {
  beforeAll(async () => {
    const set = await grant('document-folders', top, [
      { subjectType: 'team', subjectId: teamId, level: 'write' },
      { subjectType: 'role', subjectId: 'viewer', level: 'read' },
    ]);
    expect(set.status).toBe(200);
    // Below: the team may only read, and viewers not at all, except the member named.
    expect(
      (
        await grant('document-folders', inner, [
          { subjectType: 'team', subjectId: teamId, level: 'read' },
          { subjectType: 'role', subjectId: 'viewer', level: 'none' },
          { subjectType: 'user', subjectId: member.user.id, level: 'write' },
        ])
      ).status,
    ).toBe(200);
  });

  it('shows a user without read nothing: lists, counts, get, content, versions, search', async () => {
    expect(await listed(outsider)).not.toEqual(expect.arrayContaining([topDocument]));
    expect(await listed(outsider)).not.toContain(innerDocument);
    expect(await listed(outsider, `&folderId=${top}`)).toEqual([]);
    const folders = await folderIds(outsider);
    expect(folders).not.toContain(top);
    expect(folders).not.toContain(inner);
    expect((await outsider.get(`/api/documents/${topDocument}`)).status).toBe(404);
    expect((await sendRaw(outsider, 'GET', `/api/documents/${topDocument}/content`)).status).toBe(404);
    expect((await outsider.get(`/api/documents/${topDocument}/text`)).status).toBe(404);
    expect((await outsider.get(`/api/documents/${topDocument}/permissions`)).status).toBe(404);
    expect((await outsider.get(`/api/document-folders/${top}/permissions`)).status).toBe(404);
    await t.app.worker.drain();
    const found = await outsider.get('/api/search?q=Kestrel');
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.body)).not.toContain(topDocument);
    expect(JSON.stringify(found.body)).not.toContain(innerDocument);
    // The team member finds both.
    const theirs = JSON.stringify((await member.get('/api/search?q=Kestrel')).body);
    expect(theirs).toContain(topDocument);
    expect(theirs).toContain(innerDocument);
  });

  it('inherits down the tree, a nearer grant replacing a farther one for its subject', async () => {
    // Viewers read the top folder through their role, but `none` below shuts them out there.
    expect(await listed(teamViewer)).toContain(topDocument);
    expect(await listed(teamViewer)).toContain(innerDocument); // through the team's read below
    const viewers = await t.signedIn(['viewer']);
    expect(await listed(viewers)).toContain(topDocument);
    expect(await listed(viewers)).not.toContain(innerDocument);
    expect((await viewers.get(`/api/documents/${innerDocument}`)).status).toBe(404);
    expect(await folderIds(viewers)).toEqual(expect.arrayContaining([top]));
    expect(await folderIds(viewers)).not.toContain(inner);

    const folders = (await viewers.get('/api/document-folders')).body.folders as {
      id: string;
      documentCount: number;
    }[];
    expect(folders.find((f) => f.id === top)!.documentCount).toBe(1);
  });

  it('lets a team write where it may write and only read where it may read', async () => {
    const version = (as: Client, id: string) =>
      sendRaw(as, 'POST', `/api/documents/${id}/versions`, {
        form: multipart({ comment: 'next' }, { filename: 'v.pdf', mediaType: 'application/pdf', bytes: pdfBytes() }),
      });
    expect((await version(member, topDocument)).status).toBe(201);
    // Below, the team reads; the member writes through the grant naming them.
    expect((await version(member, innerDocument)).status).toBe(201);
    const colleague = await t.signedIn(['agent']);
    await admin.patch(`/api/teams/${teamId}`, { memberIds: [member.user.id, teamViewer.user.id, colleague.user.id] });
    expect((await colleague.get(`/api/documents/${innerDocument}`)).status).toBe(200);
    expect((await version(colleague, innerDocument)).status).toBe(403);
    expect((await colleague.post(`/api/documents/${innerDocument}/checkout`, {})).status).toBe(403);
    expect((await colleague.patch(`/api/documents/${innerDocument}`, { title: 'Renamed' })).status).toBe(403);
    expect((await upload(inner, 'Not allowed', colleague)).status).toBe(403);
    expect((await upload(inner, 'Allowed', member)).status).toBe(201);
    // A viewer's role is the ceiling: the team's write gives them no more than read.
    expect((await teamViewer.patch(`/api/documents/${topDocument}`, { title: 'Renamed' })).status).toBe(403);
  });

  it('takes manage to change permissions, and the role policy caps what a grant gives', async () => {
    expect((await grant('document-folders', top, [], member)).status).toBe(403);
    expect((await recordsManager.get(`/api/documents/${topDocument}`)).status).toBe(404);
    await grant('document-folders', top, [
      { subjectType: 'team', subjectId: teamId, level: 'write' },
      { subjectType: 'role', subjectId: 'viewer', level: 'read' },
      { subjectType: 'user', subjectId: recordsManager.user.id, level: 'manage' },
    ]);
    const theirs = await recordsManager.get(`/api/document-folders/${top}/permissions`);
    expect(theirs.body.level).toBe('manage');
    expect(theirs.body.candidates.roles).toContain('viewer');
    const changed = await grant(
      'documents',
      topDocument,
      [{ subjectType: 'user', subjectId: outsider.user.id, level: 'read' }],
      recordsManager,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.grants).toEqual([
      { subjectType: 'user', subjectId: outsider.user.id, subjectName: outsider.user.name, level: 'read' },
    ]);
    expect(changed.body.inherited).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subjectType: 'team',
          subjectName: 'Legal',
          level: 'write',
          from: { kind: 'folder', id: top, name: 'Legal' },
          overridden: false,
        }),
      ]),
    );
    // The document's own grant lets the outsider read that one document, and only it.
    expect(await listed(outsider)).toContain(topDocument);
    expect(await listed(outsider)).not.toContain(innerDocument);
    expect(await folderIds(outsider)).toContain(top);
    expect((await outsider.get(`/api/documents/${topDocument}`)).status).toBe(200);
    expect((await outsider.patch(`/api/documents/${topDocument}`, { title: 'x' })).status).toBe(403);
    await grant('documents', topDocument, [], recordsManager);
    expect(await listed(outsider)).not.toContain(topDocument);
  });

  it('audits each change of permissions', async () => {
    const events = await admin.get(`/api/audit?entityType=document_folder&entityId=${inner}`);
    const changed = events.body.events.find(
      (event: { action: string }) => event.action === 'document_folder.permissions_changed',
    );
    expect(changed.summary.added).toEqual(
      expect.arrayContaining([{ subjectType: 'role', subjectId: 'viewer', level: 'none' }]),
    );
  });

  it('refuses grants naming nobody, the same subject twice, or an unknown role', async () => {
    const unknown = await grant('document-folders', inner, [
      { subjectType: 'user', subjectId: '00000000-0000-4000-8000-000000000000', level: 'read' },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('body.grants.0.subjectId');
    const twice = await grant('document-folders', inner, [
      { subjectType: 'role', subjectId: 'agent', level: 'read' },
      { subjectType: 'role', subjectId: 'agent', level: 'write' },
    ]);
    expect(twice.status).toBe(400);
    expect(
      (await grant('document-folders', inner, [{ subjectType: 'role', subjectId: 'boss', level: 'read' }])).status,
    ).toBe(400);
  });

  it('shows a user without read nothing over WebDAV', async () => {
    const dav = await signedInToken(t, ['agent']);
    const root = await dav.client.request('PROPFIND', '/dav/', { headers: { depth: '1' } });
    expect(root.status).toBe(207);
    expect(root.text).not.toContain('/dav/Legal/');
    expect((await dav.client.request('PROPFIND', '/dav/Legal/', { headers: { depth: '1' } })).status).toBe(404);
    expect((await dav.client.request('GET', '/dav/Legal/Kestrel%20agreement')).status).toBe(404);
    expect(
      (
        await dav.client.request('PUT', '/dav/Legal/Sneaked.txt', {
          body: 'hello',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);

    const theirs = await signedInToken(t, ['agent']);
    await admin.patch(`/api/teams/${teamId}`, {
      memberIds: [member.user.id, teamViewer.user.id, theirs.user.id],
    });
    const listing = await theirs.client.request('PROPFIND', '/dav/Legal/', { headers: { depth: '1' } });
    expect(listing.status).toBe(207);
    expect(listing.text).toContain('Kestrel%20agreement');
  });

  it('leaves documents the requester may not read out of an e-discovery export', async () => {
    const hold = await admin.post('/api/legal-holds', {
      matter: 'Kestrel',
      description: 'Preserve',
      scope: [
        { kind: 'document', targetId: topDocument },
        { kind: 'document', targetId: innerDocument },
      ],
    });
    expect(hold.status).toBe(201);
    // A records manager named on one document only: the other is left out of what they see and export.
    const clerk = await t.signedIn(['records_manager']);
    await grant('documents', topDocument, [{ subjectType: 'user', subjectId: clerk.user.id, level: 'read' }]);
    const candidates = await clerk.get(`/api/legal-holds/${hold.body.id}/items?type=document`);
    expect(candidates.body.items.map((item: { id: string }) => item.id)).toEqual([topDocument]);
    const refused = await clerk.post(`/api/legal-holds/${hold.body.id}/exports`, {
      items: [{ type: 'document', id: innerDocument }],
    });
    expect(refused.status).toBe(400);
    const started = await clerk.post(`/api/legal-holds/${hold.body.id}/exports`, {});
    expect(started.body.itemsTotal).toBe(1);
    await t.app.worker.drain();
    const done = await clerk.get(`/api/ediscovery-exports/${started.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', itemsTotal: 1 });
    const zip = await sendRaw(clerk, 'GET', `/api/ediscovery-exports/${started.body.id}/download`);
    const manifest = JSON.parse(String((await unzip(zip.bytes)).get('manifest.json')));
    const exported = new Set(manifest.entries.map((entry: { itemId: string }) => entry.itemId));
    expect(exported.has(topDocument)).toBe(true);
    expect(exported.has(innerDocument)).toBe(false);
    // An admin's export holds both.
    const full = await admin.post(`/api/legal-holds/${hold.body.id}/exports`, {});
    expect(full.body.itemsTotal).toBe(2);
  });

  it('leaves records the user may not read out of the records list, and their review to those who may', async () => {
    const category = await admin.post('/api/record-categories', { name: 'Board papers', trigger: 'permanent' });
    expect(category.status).toBe(201);
    const minutes = (await upload(inner, 'Kestrel resolution')).body.id as string;
    const declared = await admin.post(`/api/documents/${minutes}/record`, {
      categoryId: category.body.id,
      eventDate: null,
    });
    expect(declared.status).toBe(200);
    const records = async (as: Client) =>
      ((await as.get(`/api/records?categoryId=${category.body.id}`)).body.records as { id: string }[]).map(
        (record) => record.id,
      );
    expect(await records(admin)).toEqual([minutes]);
    // A records manager no grant names (the one above was given manage on the top folder).
    expect(await records(await t.signedIn(['records_manager']))).toEqual([]);
    const submitted = await outsider.post(`/api/documents/${topDocument}/versions/1.0/review`, {
      reviewerIds: [admin.user.id],
    });
    expect(submitted.status).toBe(404);
  });
});
