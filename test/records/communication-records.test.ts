import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDesk } from '../portal/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { placeHold, signInAgain, type Client } from './records-support.js';

const YEAR = 366 * 24 * 3600 * 1000;

let t: TestApp;
let clock: ReturnType<typeof testClock>;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let recordsManager: Client;

beforeAll(async () => {
  clock = testClock(new Date('2026-06-01T08:00:00Z'), { ticking: true });
  t = await startTestApp({ clock });
  desk = await portalDesk(t);
  recordsManager = await t.signedIn(['records_manager']);
});
afterAll(() => t.close());

describe('archived communications as records', () => {
  it('are records of the built-in category, disposed of when its years are over unless held', async () => {
    const kept = await desk.customer({ channelPreferences: ['portal'] });
    const gone = await desk.customer({ channelPreferences: ['portal'] });
    const heldCopy = await desk.send(kept.id, '1 July');
    const goneCopy = await desk.send(gone.id, '2 July');
    const { categories } = (await recordsManager.get('/api/record-categories')).body;
    const builtIn = categories.find((category: { builtIn: boolean }) => category.builtIn);
    const listed = await recordsManager.get(`/api/records?categoryId=${builtIn.id}`);
    expect(listed.body.records.map((record: { id: string }) => record.id)).toEqual(
      expect.arrayContaining([heldCopy, goneCopy]),
    );
    expect(listed.body.records[0]).toMatchObject({ type: 'communication', retainUntil: null });

    const renamed = await recordsManager.patch(`/api/record-categories/${builtIn.id}`, { name: 'Letters' });
    expect(renamed.status).toBe(400);
    const limited = await recordsManager.patch(`/api/record-categories/${builtIn.id}`, {
      trigger: 'creation',
      years: 1,
    });
    expect(limited.status).toBe(200);
    await placeHold(recordsManager, 'Complaint about July reading', [{ kind: 'customer', targetId: kept.id }]);
    const goneSha = (await recordsManager.get(`/api/communications/${goneCopy}`)).body.archiveSha256;
    const heldSha = (await recordsManager.get(`/api/communications/${heldCopy}`)).body.archiveSha256;

    clock.advance(2 * YEAR);
    recordsManager = await signInAgain(t, recordsManager);
    const batch = await recordsManager.post('/api/disposition-batches', {});
    expect(batch.status).toBe(201);
    const items = (await recordsManager.get(`/api/disposition-batches/${batch.body.id}/items`)).body.items;
    const ids = items.map((item: { objectId: string }) => item.objectId);
    expect(ids).toContain(goneCopy);
    expect(ids).not.toContain(heldCopy);

    const approved = await recordsManager.post(`/api/disposition-batches/${batch.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(await t.app.blobs.has(goneSha)).toBe(false);
    expect(await t.app.blobs.has(heldSha)).toBe(true);
    const certificate = (await recordsManager.get(`/api/disposition-batches/${batch.body.id}/certificate`)).body;
    const item = certificate.items.find((candidate: { id: string }) => candidate.id === goneCopy);
    expect(item).toMatchObject({ type: 'communication', outcome: 'destroyed', category: 'Customer communications' });
    expect(item.contents[0]).toMatchObject({ sha256: goneSha, blobDeleted: true });

    // Destroyed once, never listed again.
    expect((await recordsManager.post('/api/disposition-batches', {})).status).toBe(204);
  });
});
