import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, sendRaw } from '../documents/upload.js';
import { portalDesk } from '../portal/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { unzip } from '../support/zip.js';
import { folder, pdf, placeHold, ticket, upload, type Client } from './records-support.js';

let t: TestApp;
let desk: Awaited<ReturnType<typeof portalDesk>>;
let recordsManager: Client;
let viewer: Client;
let folderId: string;

beforeAll(async () => {
  t = await startTestApp();
  desk = await portalDesk(t);
  recordsManager = await t.signedIn(['records_manager']);
  viewer = await t.signedIn(['viewer']);
  folderId = await folder(recordsManager);
});
afterAll(() => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('e-discovery export of a matter', () => {
  it("exports a customer's documents, archived copies and tickets with a manifest whose hashes match the files", async () => {
    const customer = await desk.customer({ channelPreferences: ['portal'] });
    const communicationId = await desk.send(customer.id, '1 March');
    const bytes = pdfBytes(40_000);
    const document = await upload(
      recordsManager,
      folderId,
      { customerId: customer.id, title: 'Signed contract' },
      pdf(bytes),
    );
    const outside = await upload(recordsManager, folderId, { title: 'Unrelated memo' });
    const complaint = await ticket(desk.agent as Client, customer.id, 'Wrong meter reading');
    const hold = await placeHold(recordsManager, 'Portal customer matter', [
      { kind: 'customer', targetId: customer.id },
    ]);

    const documents = await recordsManager.get(`/api/legal-holds/${hold.id}/items?type=document&q=signed`);
    expect(documents.body).toMatchObject({ total: 1, items: [{ id: document.id, title: 'Signed contract' }] });
    const outOfScope = await recordsManager.post(`/api/legal-holds/${hold.id}/exports`, {
      items: [{ type: 'document', id: outside.id }],
    });
    expect(outOfScope.status).toBe(400);
    expect(outOfScope.body.details[0].path).toBe('body.items.0.id');
    expect((await viewer.post(`/api/legal-holds/${hold.id}/exports`, {})).status).toBe(403);

    const started = await recordsManager.post(`/api/legal-holds/${hold.id}/exports`, {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', itemsTotal: 3, itemsDone: 0 });
    await t.app.worker.drain();
    const finished = await recordsManager.get(`/api/ediscovery-exports/${started.body.id}`);
    expect(finished.body).toMatchObject({ status: 'done', itemsTotal: 3, itemsDone: 3 });

    const download = await sendRaw(recordsManager, 'GET', `/api/ediscovery-exports/${started.body.id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(sha256(download.bytes)).toBe(finished.body.zipSha256);
    const files = await unzip(download.bytes);

    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.matter).toBe('Portal customer matter');
    for (const entry of manifest.entries) {
      expect(files.has(entry.path), entry.path).toBe(true);
      expect(sha256(files.get(entry.path)!), entry.path).toBe(entry.sha256);
      expect(files.get(entry.path)!.length).toBe(entry.size);
    }
    const csv = files.get('manifest.csv')!.toString().trim().split('\r\n');
    expect(csv[0]).toBe(
      'itemType,itemId,title,role,path,sha256,size,mediaType,custodian,createdAt,modifiedAt,metadata',
    );
    expect(csv).toHaveLength(manifest.entries.length + 1);

    const content = manifest.entries.find((entry: { role: string }) => entry.role === 'content');
    expect(content).toMatchObject({
      itemId: document.id,
      path: `documents/${document.id}/Contract.pdf`,
      sha256: sha256(bytes),
    });
    expect(content.custodian).toContain(customer.name);
    expect(files.get(content.path)!.equals(bytes)).toBe(true);
    const copy = manifest.entries.find((entry: { role: string }) => entry.role === 'archived_copy');
    expect(copy.itemId).toBe(communicationId);
    const sent = await recordsManager.get(`/api/communications/${communicationId}`);
    expect(sent.body.archiveSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(copy.sha256).toBe(sent.body.archiveSha256);
    const conversation = JSON.parse(
      files.get(`tickets/${complaint.number}-${complaint.id}/conversation.json`)!.toString(),
    );
    expect(conversation.messages[0].body).toBe('About my contract.');
    expect(files.get(`tickets/${complaint.number}-${complaint.id}/conversation.txt`)!.toString()).toContain(
      'Wrong meter reading',
    );

    const documentAudit = JSON.parse(files.get(`documents/${document.id}/audit-events.json`)!.toString());
    expect(documentAudit.map((event: { action: string }) => event.action)).toContain('document.uploaded');
    const holdFile = JSON.parse(files.get('hold.json')!.toString());
    expect(holdFile.audit.map((event: { action: string }) => event.action)).toContain('legal_hold.placed');

    const events = await recordsManager.get(`/api/audit?entityType=legal_hold&entityId=${hold.id}`);
    expect(events.body.events.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining(['ediscovery.downloaded', 'ediscovery.exported', 'ediscovery.export_started']),
    );
  });

  it('exports only the chosen items', async () => {
    const customer = await desk.customer({ channelPreferences: ['portal'] });
    const chosen = await upload(recordsManager, folderId, { customerId: customer.id, title: 'Chosen' });
    await upload(recordsManager, folderId, { customerId: customer.id, title: 'Not chosen' });
    const hold = await placeHold(recordsManager, 'Narrow matter', [{ kind: 'customer', targetId: customer.id }]);
    const started = await recordsManager.post(`/api/legal-holds/${hold.id}/exports`, {
      items: [{ type: 'document', id: chosen.id }],
    });
    expect(started.body.itemsTotal).toBe(1);
    await t.app.worker.drain();
    const files = await unzip(
      (await sendRaw(recordsManager, 'GET', `/api/ediscovery-exports/${started.body.id}/download`)).bytes,
    );
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(new Set(manifest.entries.map((entry: { itemId: string }) => entry.itemId))).toEqual(
      new Set([hold.id, chosen.id]),
    );
  });
});
