import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { multipart, pdfBytes, sendRaw } from './upload.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;

const clock = testClock();
let t: TestApp;
let ann: Client;
let bob: Client;
let recordsManager: Client;
let folderId: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ann = await t.signedIn(['author']);
  bob = await t.signedIn(['agent']);
  recordsManager = await t.signedIn(['records_manager']);
  folderId = (await ann.post('/api/document-folders', { name: 'Drafts', parentId: null })).body.id;
});
afterAll(() => t.close());

const file = () => ({ filename: 'Offer.pdf', mediaType: 'application/pdf', bytes: pdfBytes() });

async function documentOf(owner: Client) {
  const uploaded = await sendRaw(owner, 'POST', '/api/documents', { form: multipart({ folderId }, file()) });
  return `/api/documents/${uploaded.body.id}`;
}

describe('check-out and check-in', () => {
  it("keeps a checked-out document to its holder: another's check-in, new version and edit are refused, naming who", async () => {
    const url = await documentOf(ann);
    const out = await ann.post(`${url}/checkout`, {});
    expect(out.status).toBe(200);
    expect(out.body.lock).toMatchObject({ by: { id: ann.user.id, name: ann.user.name }, expiresAt: null });

    const checkin = await sendRaw(bob, 'POST', `${url}/checkin`, { form: multipart({}) });
    expect(checkin.status).toBe(409);
    expect(checkin.body.error).toBe('document.locked');
    expect(checkin.body.message).toContain(ann.user.name);
    const version = await sendRaw(bob, 'POST', `${url}/versions`, { form: multipart({}, file()) });
    expect(version.status).toBe(409);
    expect(version.body.message).toContain(ann.user.name);
    expect((await bob.patch(url, { title: 'Mine now' })).status).toBe(409);
    expect((await bob.post(`${url}/checkout`, {})).status).toBe(409);
    expect((await bob.post(`${url}/cancel-checkout`)).status).toBe(409);

    // The holder's upload keeps the lock; checking in with a file adds a version and releases it.
    const own = await sendRaw(ann, 'POST', `${url}/versions`, { form: multipart({ comment: 'Draft 2' }, file()) });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ currentVersion: { label: '1.1' }, lock: { by: { id: ann.user.id } } });
    const done = await sendRaw(ann, 'POST', `${url}/checkin`, {
      form: multipart({ major: 'true', comment: 'Final' }, file()),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ currentVersion: { label: '2.0' }, lock: null });
    expect(done.body.versions[0]).toMatchObject({ label: '2.0', comment: 'Final' });

    const again = await sendRaw(ann, 'POST', `${url}/checkin`, { form: multipart({}) });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('document.not_checked_out');
  });

  it('lets the holder cancel, and counts an expired lock as none', async () => {
    const url = await documentOf(ann);
    await ann.post(`${url}/checkout`, {});
    const cancelled = await ann.post(`${url}/cancel-checkout`);
    expect(cancelled.body.lock).toBeNull();

    const out = await ann.post(`${url}/checkout`, { expiresInMinutes: 30 });
    expect(new Date(out.body.lock.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 60_000);
    expect((await bob.post(`${url}/checkout`, {})).status).toBe(409);
    clock.advance(31 * 60_000);
    expect((await bob.get(url)).body.lock).toBeNull();
    const taken = await bob.post(`${url}/checkout`, {});
    expect(taken.status).toBe(200);
    expect(taken.body.lock.by.id).toBe(bob.user.id);
    // Ann's lapsed lock is no longer hers to check in.
    expect((await sendRaw(ann, 'POST', `${url}/checkin`, { form: multipart({}) })).status).toBe(409);
  });

  it("lets a records manager break another's lock, audited with whose lock it was; an agent may not", async () => {
    const url = await documentOf(ann);
    const id = url.split('/').pop()!;
    await ann.post(`${url}/checkout`, {});
    expect((await bob.delete(`${url}/lock`)).status).toBe(403);
    const broken = await recordsManager.delete(`${url}/lock`);
    expect(broken.status).toBe(200);
    expect(broken.body.lock).toBeNull();
    const events = (await recordsManager.get(`/api/audit?entityType=document&entityId=${id}`)).body.events;
    expect(events[0]).toMatchObject({
      action: 'document.lock_broken',
      actorLabel: recordsManager.user.email,
      summary: { holderId: ann.user.id, holderName: ann.user.name },
    });
    expect((await bob.patch(url, { title: 'Free again' })).status).toBe(200);
  });
});
