import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, sendRaw } from '../documents/upload.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { folder, newVersion, pdf, placeHold, signInAgain, upload, type Client } from './records-support.js';

const YEAR = 366 * 24 * 3600 * 1000;

let t: TestApp;
let clock: ReturnType<typeof testClock>;
let recordsManager: Client;
let agent: Client;
let folderId: string;
let contracts: { id: string };

beforeAll(async () => {
  clock = testClock(new Date('2026-03-01T10:00:00Z'), { ticking: true });
  t = await startTestApp({ clock });
  recordsManager = await t.signedIn(['records_manager']);
  agent = await t.signedIn(['agent']);
  folderId = await folder(agent);
  const created = await recordsManager.post('/api/record-categories', {
    name: 'Contracts',
    trigger: 'creation',
    years: 2,
  });
  expect(created.status).toBe(201);
  contracts = created.body;
});
afterAll(() => t.close());

/** Years pass; everyone signs in again. */
async function yearsPass(years: number) {
  clock.advance(years * YEAR);
  recordsManager = await signInAgain(t, recordsManager);
  agent = await signInAgain(t, agent);
}

const declare = (id: string, categoryId = contracts.id, eventDate: string | null = null) =>
  recordsManager.post(`/api/documents/${id}/record`, { categoryId, eventDate });

describe('record categories', () => {
  it('has the built-in category for communications, and refuses a rule that does not hold together', async () => {
    const categories = (await agent.get('/api/record-categories')).body.categories;
    expect(categories[0]).toMatchObject({ name: 'Customer communications', builtIn: true, trigger: 'permanent' });
    const noYears = await recordsManager.post('/api/record-categories', { name: 'Broken', trigger: 'creation' });
    expect(noYears.status).toBe(400);
    expect(noYears.body.details[0].path).toBe('body.years');
    const agentMay = await agent.post('/api/record-categories', { name: 'Agent', trigger: 'permanent' });
    expect(agentMay.status).toBe(403);
  });
});

describe('a record', () => {
  it('can no longer change: new version, metadata change and delete are refused', async () => {
    const document = await upload(agent, folderId, { title: 'Lease 2026' });
    const declared = await declare(document.id);
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({
      status: 'record',
      record: { category: { name: 'Contracts' }, retainUntil: '2028-03-01' },
      held: false,
    });

    const versioned = await newVersion(agent, document.id);
    expect(versioned.status).toBe(409);
    expect(versioned.body.error).toBe('document.record');
    const renamed = await agent.patch(`/api/documents/${document.id}`, { title: 'Changed' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error).toBe('document.record');
    const checkout = await agent.post(`/api/documents/${document.id}/checkout`, {});
    expect(checkout.status).toBe(409);
    const deleted = await recordsManager.delete(`/api/documents/${document.id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error).toBe('document.wrong_status');
    const again = await declare(document.id);
    expect(again.status).toBe(409);

    const shown = await agent.get(`/api/documents/${document.id}`);
    expect(shown.body).toMatchObject({ title: 'Lease 2026', status: 'record', currentVersion: { label: '1.0' } });
    const listed = await agent.get(`/api/documents?folderId=${folderId}`);
    expect(listed.body.documents.map((row: { id: string }) => row.id)).toContain(document.id);
  });

  it('counts from an event date set by hand when its category says so', async () => {
    const afterEnd = await recordsManager.post('/api/record-categories', {
      name: 'Supplier contracts',
      trigger: 'event',
      years: 6,
      eventField: 'end',
    });
    const document = await upload(agent, folderId);
    const declared = await declare(document.id, afterEnd.body.id);
    expect(declared.body.record.retainUntil).toBeNull();
    const set = await recordsManager.patch(`/api/documents/${document.id}/record`, { eventDate: '2024-02-29' });
    expect(set.status).toBe(200);
    expect(set.body.record).toMatchObject({ eventDate: '2024-02-29', retainUntil: '2030-03-01' });
    const badDate = await recordsManager.patch(`/api/documents/${document.id}/record`, { eventDate: '2025-02-29' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.details[0].path).toBe('body.eventDate');
  });
});

describe('disposition', () => {
  it('destroys due records on approval, keeps bytes another document shares, leaves a certificate', async () => {
    const unique = pdfBytes(30_000);
    const shared = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000)]);
    const alone = await upload(
      agent,
      folderId,
      { title: 'Old invoice', tags: 'invoice', description: 'Paid' },
      pdf(unique),
    );
    const twin = await upload(agent, folderId, { title: 'Old offer' }, pdf(shared));
    const keeper = await upload(agent, folderId, { title: 'Live copy of the offer' }, pdf(shared, 'copy.pdf'));
    const excluded = await upload(agent, folderId, { title: 'Kept on purpose' });
    const held = await upload(agent, folderId, { title: 'Disputed' });
    for (const document of [alone, twin, excluded, held]) expect((await declare(document.id)).status).toBe(200);
    await placeHold(recordsManager, 'Disputed offer', [{ kind: 'document', targetId: held.id }]);

    expect((await recordsManager.post('/api/disposition-batches', {})).status).toBe(204);
    await yearsPass(3);
    const listed = await recordsManager.post('/api/disposition-batches', {});
    expect(listed.status).toBe(201);
    const batch = listed.body;
    const items = (await recordsManager.get(`/api/disposition-batches/${batch.id}/items?limit=500`)).body.items;
    const listedIds = items.map((item: { objectId: string }) => item.objectId);
    expect(listedIds).toEqual(expect.arrayContaining([alone.id, twin.id, excluded.id]));
    expect(listedIds).not.toContain(held.id);
    expect(listedIds).not.toContain(keeper.id);

    const noReason = await recordsManager.post(`/api/disposition-batches/${batch.id}/exclude`, {
      objectType: 'document',
      objectId: excluded.id,
      reason: '',
    });
    expect(noReason.status).toBe(400);
    const exclusion = await recordsManager.post(`/api/disposition-batches/${batch.id}/exclude`, {
      objectType: 'document',
      objectId: excluded.id,
      reason: 'Audit of 2026 still open',
    });
    expect(exclusion.status).toBe(200);
    expect((await agent.post(`/api/disposition-batches/${batch.id}/approve`, {})).status).toBe(403);
    const approved = await recordsManager.post(`/api/disposition-batches/${batch.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedByLabel: recordsManager.user.email });

    expect(await t.app.blobs.has(alone.currentVersion.sha256)).toBe(false);
    expect(await t.app.blobs.has(twin.currentVersion.sha256)).toBe(true);
    expect((await agent.get(`/api/documents/${keeper.id}/content`)).status).toBe(200);
    const gone = await agent.get(`/api/documents/${alone.id}`);
    expect(gone.body).toMatchObject({ status: 'disposed', title: 'Old invoice', description: '', tags: [] });
    const content = await agent.get(`/api/documents/${alone.id}/content`);
    expect(content.status).toBe(404);
    expect(content.body.error).toBe('document.disposed');
    const status = await agent.get(`/api/documents/${alone.id}/record`);
    expect(status.body.disposal).toMatchObject({ batchId: batch.id });
    expect((await agent.get(`/api/documents/${excluded.id}`)).body.status).toBe('record');
    expect((await agent.get(`/api/documents/${held.id}`)).body.status).toBe('record');

    const certificate = await recordsManager.get(`/api/disposition-batches/${batch.id}/certificate`);
    expect(certificate.status).toBe(200);
    const byId = new Map(certificate.body.items.map((item: { id: string }) => [item.id, item]));
    expect(certificate.body).toMatchObject({ approvedBy: recordsManager.user.email, batch: { number: batch.number } });
    expect(byId.get(alone.id)).toMatchObject({
      outcome: 'destroyed',
      contents: [{ sha256: alone.currentVersion.sha256, size: unique.length, blobDeleted: true }],
    });
    expect(byId.get(twin.id)).toMatchObject({
      outcome: 'destroyed',
      contents: [
        {
          sha256: twin.currentVersion.sha256,
          blobDeleted: false,
          sharedWith: expect.arrayContaining([`document ${keeper.id}`]),
        },
      ],
    });
    expect(byId.get(excluded.id)).toMatchObject({ outcome: 'excluded', reason: 'Audit of 2026 still open' });
    expect(certificate.body.holdCheck.checkedAt).toBe(certificate.body.approvedAt);

    const printed = await sendRaw(recordsManager, 'GET', `/api/disposition-batches/${batch.id}/certificate?format=pdf`);
    expect(printed.status).toBe(200);
    expect(printed.headers['content-type']).toBe('application/pdf');
    expect(printed.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // The excluded record is not listed again, nor the held one while its hold stands.
    expect((await recordsManager.post('/api/disposition-batches', {})).status).toBe(204);
    expect((await recordsManager.post(`/api/disposition-batches/${batch.id}/approve`, {})).status).toBe(409);
  });

  it('keeps a record a hold covers even when the hold comes after the listing', async () => {
    const document = await upload(agent, folderId, { title: 'Late hold' });
    await declare(document.id);
    await yearsPass(3);
    const batch = (await recordsManager.post('/api/disposition-batches', {})).body;
    const hold = await placeHold(recordsManager, 'Late matter', [{ kind: 'document', targetId: document.id }]);
    const approved = await recordsManager.post(`/api/disposition-batches/${batch.id}/approve`, {});
    expect(approved.body.counts.held).toBe(1);
    expect(await t.app.blobs.has(document.currentVersion.sha256)).toBe(true);
    const certificate = (await recordsManager.get(`/api/disposition-batches/${batch.id}/certificate`)).body;
    expect(certificate.holdCheck.held).toEqual([
      { type: 'document', id: document.id, title: 'Late hold', holds: [{ id: hold.id, matter: 'Late matter' }] },
    ]);
  });
});
