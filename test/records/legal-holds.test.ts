import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { signedInToken } from '../webdav/webdav-client.js';
import { customer, folder, newVersion, placeHold, ticket, upload, type Client } from './records-support.js';

let t: TestApp;
let recordsManager: Client;
let agent: Client;
let viewer: Client;
let folderId: string;

beforeAll(async () => {
  t = await startTestApp();
  recordsManager = await t.signedIn(['records_manager']);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  folderId = await folder(agent);
});
afterAll(() => t.close());

describe('a hold on a document', () => {
  it('refuses delete, a new version and a metadata change with a 409 naming the matter, until released', async () => {
    const document = await upload(agent, folderId, { title: 'Supply contract' });
    const hold = await placeHold(recordsManager, 'Acme v. Tidings', [{ kind: 'document', targetId: document.id }]);

    const deleted = await recordsManager.delete(`/api/documents/${document.id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error).toBe('hold.active');
    expect(deleted.body.message).toContain('Acme v. Tidings');
    const versioned = await newVersion(agent, document.id);
    expect(versioned.status).toBe(409);
    expect(versioned.body.error).toBe('hold.active');
    const renamed = await agent.patch(`/api/documents/${document.id}`, { title: 'Changed' });
    expect(renamed.status).toBe(409);
    expect((await agent.get(`/api/documents/${document.id}`)).body.title).toBe('Supply contract');

    const covering = await recordsManager.get(`/api/legal-holds/covering?type=document&id=${document.id}`);
    expect(covering.body.holds).toEqual([{ id: hold.id, matter: 'Acme v. Tidings' }]);

    const noReason = await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].path).toBe('body.reason');
    const released = await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: 'Settled' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releaseReason: 'Settled' });
    expect((await recordsManager.delete(`/api/documents/${document.id}`)).status).toBe(204);
  });

  it('audits placing and releasing, with who and why', async () => {
    const document = await upload(agent, folderId);
    const hold = await placeHold(recordsManager, 'Audit matter', [{ kind: 'document', targetId: document.id }]);
    await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: 'Matter closed' });
    const events = await recordsManager.get(`/api/audit?entityType=legal_hold&entityId=${hold.id}`);
    expect(events.body.events.map((event: { action: string }) => event.action)).toEqual([
      'legal_hold.released',
      'legal_hold.placed',
    ]);
    expect(events.body.events[0]).toMatchObject({
      actorLabel: recordsManager.user.email,
      summary: { matter: 'Audit matter', reason: 'Matter closed' },
    });
  });

  it('cannot be released twice, and a released hold cannot be widened', async () => {
    const hold = await placeHold(recordsManager, 'Twice', []);
    await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: 'Done' });
    expect((await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: 'Again' })).status).toBe(409);
    const document = await upload(agent, folderId);
    const widened = await recordsManager.post(`/api/legal-holds/${hold.id}/scope`, {
      scope: [{ kind: 'document', targetId: document.id }],
    });
    expect(widened.status).toBe(409);
  });
});

describe('a hold on a customer', () => {
  it("covers the customer's tickets and linked documents, and blocks merges on either side", async () => {
    const held = await customer(agent, 'Heldmann');
    const other = await customer(agent, 'Freimann');
    const document = await upload(agent, folderId, { customerId: held, title: 'Heldmann contract' });
    const first = await ticket(agent, held, 'First complaint');
    const second = await ticket(agent, held, 'Second complaint');
    const hold = await placeHold(recordsManager, 'Heldmann dispute', [{ kind: 'customer', targetId: held }]);
    expect(hold).toMatchObject({ covered: { customers: 1, documents: 1, tickets: 2, communications: 0 } });

    const deleted = await recordsManager.delete(`/api/documents/${document.id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.message).toContain('Heldmann dispute');

    const ticketMerge = await agent.post(`/api/tickets/${first.id}/merge`, { intoTicketId: second.id });
    expect(ticketMerge.status).toBe(409);
    expect(ticketMerge.body.error).toBe('hold.active');
    expect((await agent.get(`/api/tickets/${first.id}`)).body.mergedIntoId ?? null).toBeNull();

    const mergedAway = await agent.post(`/api/customers/${other}/merge`, { otherId: held });
    expect(mergedAway.status).toBe(409);
    const survivorHeld = await agent.post(`/api/customers/${held}/merge`, { otherId: other });
    expect(survivorHeld.status).toBe(409);
    expect(survivorHeld.body.message).toContain('Heldmann dispute');
    const archived = await agent.post(`/api/customers/${held}/archive`, {});
    expect(archived.status).toBe(409);

    await recordsManager.post(`/api/legal-holds/${hold.id}/release`, { reason: 'Dispute withdrawn' });
    expect((await agent.post(`/api/tickets/${first.id}/merge`, { intoTicketId: second.id })).status).toBe(200);
    expect((await agent.post(`/api/customers/${held}/merge`, { otherId: other })).status).toBe(200);
  });

  it('names a missing object by its field', async () => {
    const placed = await recordsManager.post('/api/legal-holds', {
      matter: 'Nothing',
      scope: [{ kind: 'customer', targetId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(placed.status).toBe(404);
    expect(placed.body.details[0].path).toBe('body.scope.0.targetId');
  });
});

describe('through WebDAV', () => {
  it('refuses saving over or deleting a held document, as the API does', async () => {
    const dav = await signedInToken(t, ['records_manager']);
    expect((await dav.client.request('MKCOL', '/dav/Held%20files/')).status).toBe(201);
    expect((await dav.client.request('PUT', '/dav/Held%20files/memo.txt', { body: 'First\n' })).status).toBe(201);
    const [document] = (await dav.api.get('/api/documents?q=memo.txt')).body.documents;
    await placeHold(recordsManager, 'Memo matter', [{ kind: 'document', targetId: document.id }]);

    const saved = await dav.client.request('PUT', '/dav/Held%20files/memo.txt', { body: 'Second\n' });
    expect(saved.status).toBe(409);
    const deleted = await dav.client.request('DELETE', '/dav/Held%20files/memo.txt');
    expect(deleted.status).toBe(409);
    expect((await dav.api.get(`/api/documents/${document.id}`)).body).toMatchObject({
      status: 'active',
      currentVersion: { label: '1.0' },
    });
  });
});

describe('who may', () => {
  it('lets only records managers and admins place holds or read them', async () => {
    const document = await upload(agent, folderId);
    const refused = await viewer.post('/api/legal-holds', {
      matter: 'Viewer matter',
      scope: [{ kind: 'document', targetId: document.id }],
    });
    expect(refused.status).toBe(403);
    expect((await agent.post('/api/legal-holds', { matter: 'Agent matter', scope: [] })).status).toBe(403);
    expect((await viewer.get('/api/legal-holds')).status).toBe(403);
    expect((await recordsManager.delete(`/api/documents/${document.id}`)).status).toBe(204);
  });
});
