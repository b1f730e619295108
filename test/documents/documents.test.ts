import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { multipart, pdfBytes, sendRaw, type FilePart } from './upload.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;
const maxBytes = 300_000;

let t: TestApp;
let agent: Client;
let viewer: Client;
let recordsManager: Client;
let folderId: string;

beforeAll(async () => {
  t = await startTestApp({ config: { documentMaxBytes: maxBytes } });
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  recordsManager = await t.signedIn(['records_manager']);
  folderId = (await agent.post('/api/document-folders', { name: 'Contracts', parentId: null })).body.id;
});
afterAll(() => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pdf = (bytes = pdfBytes(), filename = 'Contract.pdf'): FilePart => ({
  filename,
  mediaType: 'application/pdf',
  bytes,
});

async function upload(fields: Record<string, string>, file: FilePart, as: Client = agent) {
  return sendRaw(as, 'POST', '/api/documents', { form: multipart({ folderId, ...fields }, file) });
}

describe('upload and download', () => {
  it('stores the bytes, hashed on the way in, and gives them back identical, inline for a PDF', async () => {
    const bytes = pdfBytes(150_000);
    const uploaded = await upload(
      { title: 'Supply contract', tags: 'contract, 2026', description: 'Signed' },
      pdf(bytes),
    );
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      title: 'Supply contract',
      description: 'Signed',
      tags: ['contract', '2026'],
      folderId,
      status: 'active',
      owner: { id: agent.user.id, name: agent.user.name },
      currentVersion: { label: '1.0', sha256: sha256(bytes), size: bytes.length, mediaType: 'application/pdf' },
      lock: null,
      duplicates: [],
    });
    expect(uploaded.body.versions).toHaveLength(1);

    const download = await sendRaw(viewer, 'GET', `/api/documents/${uploaded.body.id}/content`);
    expect(download.status).toBe(200);
    expect(download.bytes.equals(bytes)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      etag: `"${sha256(bytes)}"`,
      'accept-ranges': 'bytes',
    });
    expect(download.headers['content-disposition']).toMatch(/^inline; filename="Contract.pdf"/);
    const saved = await sendRaw(viewer, 'GET', `/api/documents/${uploaded.body.id}/content?download=1`);
    expect(saved.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('takes the file name as the title and saves other kinds rather than showing them', async () => {
    const uploaded = await upload({}, { filename: 'notes.txt', mediaType: 'text/plain', bytes: Buffer.from('hello') });
    expect(uploaded.body.title).toBe('notes.txt');
    const download = await sendRaw(agent, 'GET', `/api/documents/${uploaded.body.id}/content`);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('names other live documents with the same content', async () => {
    const bytes = pdfBytes();
    const first = await upload({ title: 'Original' }, pdf(bytes));
    const second = await upload({ title: 'Copy' }, pdf(bytes, 'copy.pdf'));
    expect(second.status).toBe(201);
    expect(second.body.duplicates).toEqual([{ id: first.body.id, title: 'Original' }]);
  });

  it('refuses a file over TIDINGS_DOCUMENT_MAX_BYTES with 413 and stores nothing', async () => {
    const before = (await agent.get(`/api/documents?folderId=${folderId}&limit=500`)).body.documents.length;
    const tooBig = await upload({ title: 'Too big' }, pdf(pdfBytes(maxBytes + 1)));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: 'document.too_large', details: [{ path: 'body.file' }] });
    expect((await agent.get(`/api/documents?folderId=${folderId}&limit=500`)).body.documents).toHaveLength(before);
    expect((await upload({ title: 'Just fits' }, pdf(pdfBytes(maxBytes)))).status).toBe(201);
  });

  it('refuses a form without a file, an unknown folder and unknown fields, naming them', async () => {
    const noFile = await sendRaw(agent, 'POST', '/api/documents', { form: multipart({ folderId }) });
    expect(noFile.status).toBe(400);
    expect(noFile.body.details).toEqual([expect.objectContaining({ path: 'body.file' })]);
    const unknownFolder = await sendRaw(agent, 'POST', '/api/documents', {
      form: multipart({ folderId: '00000000-0000-4000-8000-000000000000' }, pdf()),
    });
    expect(unknownFolder.status).toBe(404);
    expect(unknownFolder.body.details).toEqual([expect.objectContaining({ path: 'body.folderId' })]);
    const unknownField = await upload({ colour: 'blue' }, pdf());
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.details).toEqual([{ path: 'body.colour', message: 'is not a known field' }]);
    const json = await agent.post('/api/documents', { folderId });
    expect(json.status).toBe(415);
  });
});

describe('range requests', () => {
  it('answers one range with 206 and exactly those bytes, a range past the end with 416', async () => {
    const bytes = randomBytes(10_000);
    const { body } = await upload(
      { title: 'Ranged' },
      { filename: 'data.bin', mediaType: 'application/octet-stream', bytes },
    );
    const url = `/api/documents/${body.id}/content`;

    const middle = await sendRaw(agent, 'GET', url, { headers: { range: 'bytes=100-199' } });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe('bytes 100-199/10000');
    expect(middle.bytes.equals(bytes.subarray(100, 200))).toBe(true);

    const tail = await sendRaw(agent, 'GET', url, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(9_990))).toBe(true);

    const past = await sendRaw(agent, 'GET', url, { headers: { range: 'bytes=20000-' } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */10000');

    const stale = await sendRaw(agent, 'GET', url, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect(stale.bytes.equals(bytes)).toBe(true);
  });
});

describe('versions', () => {
  it('adds minor and major versions, serves any of them, and restores an old one as a new version', async () => {
    const v1 = pdfBytes();
    const v11 = pdfBytes();
    const v2 = pdfBytes();
    const { body: created } = await upload({ title: 'Price list' }, pdf(v1));
    const url = `/api/documents/${created.id}`;
    const minor = await sendRaw(agent, 'POST', `${url}/versions`, {
      form: multipart({ major: 'false', comment: 'Typo' }, pdf(v11)),
    });
    expect(minor.status).toBe(201);
    expect(minor.body.currentVersion).toMatchObject({ label: '1.1', sha256: sha256(v11) });
    const major = await sendRaw(agent, 'POST', `${url}/versions`, {
      form: multipart({ major: 'true', comment: 'New prices' }, pdf(v2)),
    });
    expect(major.body.currentVersion.label).toBe('2.0');
    expect(major.body.versions.map((v: { label: string; comment: string }) => [v.label, v.comment])).toEqual([
      ['2.0', 'New prices'],
      ['1.1', 'Typo'],
      ['1.0', ''],
    ]);
    expect(major.body.versions[0].createdBy).toEqual({ id: agent.user.id, name: agent.user.name });

    const old = await sendRaw(viewer, 'GET', `${url}/content?version=1.0`);
    expect(old.bytes.equals(v1)).toBe(true);
    expect((await sendRaw(viewer, 'GET', `${url}/content`)).bytes.equals(v2)).toBe(true);
    expect((await sendRaw(viewer, 'GET', `${url}/content?version=7.0`)).status).toBe(404);

    const restored = await agent.post(`${url}/versions/1.0/restore`);
    expect(restored.status).toBe(201);
    expect(restored.body.currentVersion).toMatchObject({ label: '2.1', sha256: sha256(v1) });
    expect(restored.body.versions[0]).toMatchObject({ label: '2.1', comment: 'Restored from 1.0' });
    expect((await sendRaw(viewer, 'GET', `${url}/content`)).bytes.equals(v1)).toBe(true);
  });
});

describe('folders', () => {
  it('refuses to move a folder into itself or below itself, naming body.parentId', async () => {
    const top = (await agent.post('/api/document-folders', { name: 'Letters', parentId: null })).body;
    const child = (await agent.post('/api/document-folders', { name: '2026', parentId: top.id })).body;
    const grandchild = (await agent.post('/api/document-folders', { name: 'December', parentId: child.id })).body;
    for (const parentId of [top.id, grandchild.id]) {
      const moved = await agent.patch(`/api/document-folders/${top.id}`, { parentId });
      expect(moved.status).toBe(400);
      expect(moved.body.details).toEqual([expect.objectContaining({ path: 'body.parentId' })]);
    }
    const renamed = await agent.patch(`/api/document-folders/${grandchild.id}`, { name: 'Dec', parentId: top.id });
    expect(renamed.body).toMatchObject({ name: 'Dec', parentId: top.id });
    const clash = await agent.post('/api/document-folders', { name: '2026', parentId: top.id });
    expect(clash.status).toBe(409);
  });

  it('lists folders with their document counts and deletes only empty ones', async () => {
    const folder = (await agent.post('/api/document-folders', { name: 'Invoices', parentId: null })).body;
    await sendRaw(agent, 'POST', '/api/documents', { form: multipart({ folderId: folder.id }, pdf()) });
    const listed = (await viewer.get('/api/document-folders')).body.folders;
    expect(listed).toContainEqual({ id: folder.id, name: 'Invoices', parentId: null, documentCount: 1 });
    expect((await agent.delete(`/api/document-folders/${folder.id}`)).status).toBe(409);
    const empty = (await agent.post('/api/document-folders', { name: 'Empty', parentId: null })).body;
    expect((await agent.delete(`/api/document-folders/${empty.id}`)).status).toBe(204);
  });
});

describe('listing', () => {
  it('filters by folder, title words and customer, and pages with a cursor', async () => {
    const folder = (await agent.post('/api/document-folders', { name: 'Listing', parentId: null })).body;
    const customer = (await agent.post('/api/customers', { kind: 'person', givenName: 'Lena', familyName: 'List' }))
      .body;
    for (const title of ['Alpha report', 'Beta report', 'Gamma memo'])
      await sendRaw(agent, 'POST', '/api/documents', {
        form: multipart(
          { folderId: folder.id, title, ...(title.startsWith('Gamma') ? { customerId: customer.id } : {}) },
          pdf(),
        ),
      });
    const titles = (page: { documents: { title: string }[] }) => page.documents.map((d) => d.title);
    expect(titles((await viewer.get(`/api/documents?folderId=${folder.id}`)).body)).toEqual([
      'Gamma memo',
      'Beta report',
      'Alpha report',
    ]);
    expect(titles((await viewer.get(`/api/documents?folderId=${folder.id}&q=REPORT`)).body)).toEqual([
      'Beta report',
      'Alpha report',
    ]);
    expect(titles((await viewer.get(`/api/documents?customerId=${customer.id}`)).body)).toEqual(['Gamma memo']);
    const first = (await viewer.get(`/api/documents?folderId=${folder.id}&limit=2`)).body;
    expect(first.documents).toHaveLength(2);
    const rest = (await viewer.get(`/api/documents?folderId=${folder.id}&limit=2&cursor=${first.nextCursor}`)).body;
    expect(titles(rest)).toEqual(['Alpha report']);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('links', () => {
  it('links a customer, whose timeline shows it, and refuses a target that does not exist, naming it', async () => {
    const customer = (await agent.post('/api/customers', { kind: 'person', givenName: 'Tom', familyName: 'Timeline' }))
      .body;
    const { body: document } = await upload({ title: 'Meter photo' }, pdf());
    const linked = await agent.put(`/api/documents/${document.id}/links`, {
      links: [{ targetType: 'customer', targetId: customer.id }],
    });
    expect(linked.status).toBe(200);
    expect(linked.body.links).toEqual([{ targetType: 'customer', targetId: customer.id, label: 'Tom Timeline' }]);
    const timeline = (await agent.get(`/api/customers/${customer.id}/timeline`)).body.entries;
    expect(timeline).toContainEqual(
      expect.objectContaining({ kind: 'document', title: 'Document linked: Meter photo', subjectId: document.id }),
    );

    const missing = await agent.put(`/api/documents/${document.id}/links`, {
      links: [
        { targetType: 'customer', targetId: customer.id },
        { targetType: 'ticket', targetId: '00000000-0000-4000-8000-000000000000' },
      ],
    });
    expect(missing.status).toBe(404);
    expect(missing.body.details).toEqual([expect.objectContaining({ path: 'body.links.1.targetId' })]);
    const cleared = await agent.put(`/api/documents/${document.id}/links`, { links: [] });
    expect(cleared.body.links).toEqual([]);
  });
});

describe('permissions', () => {
  it('lets a viewer read but not upload, edit or add folders; only documents.manage deletes', async () => {
    const { body: document } = await upload({ title: 'Policy' }, pdf());
    expect((await viewer.get(`/api/documents/${document.id}`)).status).toBe(200);
    expect((await upload({ title: 'Sneaky' }, pdf(), viewer)).status).toBe(403);
    expect((await viewer.patch(`/api/documents/${document.id}`, { title: 'Changed' })).status).toBe(403);
    expect((await viewer.post('/api/document-folders', { name: 'Mine', parentId: null })).status).toBe(403);
    expect((await agent.delete(`/api/documents/${document.id}`)).status).toBe(403);

    expect((await recordsManager.delete(`/api/documents/${document.id}`)).status).toBe(204);
    expect((await agent.get(`/api/documents/${document.id}`)).body.status).toBe('deleted');
    const listed = (await agent.get(`/api/documents?folderId=${folderId}&limit=500`)).body.documents;
    expect(listed.map((d: { id: string }) => d.id)).not.toContain(document.id);
    const events = (await recordsManager.get(`/api/audit?entityType=document&entityId=${document.id}`)).body.events;
    expect(events.map((event: { action: string }) => event.action)).toEqual(['document.deleted', 'document.uploaded']);
  });
});
