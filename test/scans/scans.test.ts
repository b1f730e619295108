import jsQRModule from 'jsqr';
import UTIF from 'utif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceCodeOf } from '../../src/communications/reference-code.js';
import { decodeImage } from '../../src/documents/text/raster.js';
import { publishedNotice } from '../communications/support.js';
import { multipart, sendRaw } from '../documents/upload.js';
import { pdfTextLines } from '../rendering/poppler.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait-for.js';
import { letterPage, scannedReply, type PaperOptions } from './paper.js';
import { letterSent } from './support.js';

const jsQR = jsQRModule.default;

type Client = Awaited<ReturnType<TestApp['signedIn']>>;

let t: TestApp;
let agent: Client;
let viewer: Client;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' }, workerPollMs: 50 });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  t.app.worker.start();
});
afterAll(() => t.close());

const sentLetter = () => letterSent(agent);

const upload = (bytes: Buffer, filename: string, mediaType: string, as: Client = agent) =>
  sendRaw(as, 'POST', '/api/scans', { form: multipart({}, { filename, mediaType, bytes }) });

const settled = (id: string) =>
  waitFor(
    () => agent.get(`/api/scans/${id}`).then((r) => r.body),
    (scan) => !['received', 'filing'].includes(scan.status),
    { timeoutMs: 150_000, intervalMs: 200 },
  );

async function replyScan(pdf: Buffer, options: PaperOptions) {
  return scannedReply(await letterPage(pdf, options.dpi ?? 200), options);
}

/** Everything filing promised: the document in Scanned mail with its links, the ticket, the timeline, the audit. */
async function expectFiled(scan: Record<string, unknown>, letter: { customerId: string; communicationId: string }) {
  expect(scan.status, String(scan.detail)).toBe('filed');
  expect(scan).toMatchObject({
    status: 'filed',
    customerId: letter.customerId,
    communicationId: letter.communicationId,
    reference: referenceCodeOf(letter.communicationId),
  });
  const ticket = (await agent.get(`/api/tickets/${scan.ticketId as string}`)).body;
  expect(ticket).toMatchObject({
    number: scan.ticketNumber,
    kind: 'request',
    source: 'letter_scan',
    customerId: letter.customerId,
    communicationId: letter.communicationId,
    communication: { id: letter.communicationId, templateName: 'Meter reading reminder' },
  });
  const document = (await agent.get(`/api/documents/${scan.documentId as string}`)).body;
  const folders = (await agent.get('/api/document-folders')).body.folders as { id: string; name: string }[];
  expect(folders.find((folder) => folder.id === document.folderId)?.name).toBe('Scanned mail');
  expect(
    document.links
      .map((link: { targetType: string; targetId: string }) => `${link.targetType}:${link.targetId}`)
      .sort(),
  ).toEqual(
    [
      `communication:${letter.communicationId}`,
      `customer:${letter.customerId}`,
      `ticket:${ticket.id as string}`,
    ].sort(),
  );
  // The ticket carries the very file that was scanned.
  const attachment = ticket.messages[0].attachments[0];
  const scanned = await sendRaw(agent, 'GET', `/api/scans/${scan.id as string}/content`);
  const held = await sendRaw(agent, 'GET', `/api/documents/${document.id as string}/content`);
  expect(held.bytes.equals(scanned.bytes)).toBe(true);
  expect(attachment).toMatchObject({ size: scanned.bytes.length });
  const timeline = (await agent.get(`/api/customers/${letter.customerId}/timeline?kind=scan`)).body.entries;
  expect(timeline).toEqual([
    expect.objectContaining({ title: 'Scanned reply filed: Meter reading reminder', subjectId: document.id }),
  ]);
  const admin = await t.signedIn(['admin']);
  const events = (await admin.get(`/api/audit?entityType=scan&entityId=${scan.id as string}`)).body.events;
  expect(events.map((event: { action: string }) => event.action).sort()).toEqual(
    expect.arrayContaining(['scan.filed', 'scan.received']),
  );
}

describe('the printed letter carries its reference', () => {
  it('prints "Ref. TDG-…" and a QR code that reads back to the communication', async () => {
    const letter = await sentLetter();
    const code = referenceCodeOf(letter.communicationId);
    expect(await pdfTextLines(letter.pdf)).toContain(`Ref. ${code}`);
    const page = await letterPage(letter.pdf, 150);
    expect(jsQR(page.rgba, page.width, page.height)?.data).toBe(code);

    const named = await agent.get(`/api/scans/references/${code.toLowerCase().replaceAll('-', ' ')}`);
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({
      id: letter.communicationId,
      customerId: letter.customerId,
      reference: code,
      templateName: 'Meter reading reminder',
    });
  });
});

describe('a scanned reply finds its letter', () => {
  it('files a skewed, speckled JPEG reply by its QR code and opens a ticket on the communication', async () => {
    const letter = await sentLetter();
    const jpeg = await replyScan(letter.pdf, {
      skewDegrees: 1.5,
      handwriting: 'I read the meter on 28 November: 004711 kWh',
      format: 'jpeg',
    });
    const uploaded = await upload(jpeg, 'reply.jpg', 'image/jpeg');
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ status: 'received', source: 'upload', mediaType: 'image/jpeg' });
    const scan = await settled(uploaded.body.id);
    expect(scan).toMatchObject({ method: 'qr' });
    await expectFiled(scan, letter);
  });

  it('reads the printed reference by OCR when the QR code is gone', async () => {
    const letter = await sentLetter();
    const png = await replyScan(letter.pdf, {
      skewDegrees: -1,
      withoutQr: true,
      // A clean scanner: random codes are read reliably; the upside-down, dusty case is scan-reading.test.ts's.
      speckles: 500,
      handwriting: 'Wrong meter number!',
    });
    const scan = await settled((await upload(png, 'reply.png', 'image/png')).body.id);
    expect(scan.method, `${scan.detail}\n${scan.text}`).toBe('text');
    await expectFiled(scan, letter);
    // OCR takes seconds a page view; the machine running the tests may be busy.
  }, 180_000);
});

describe('a scanner’s TIFF', () => {
  it('is read like any picture and filed, the TIFF kept as the document', async () => {
    const letter = await sentLetter();
    const page = await decodeImage(await replyScan(letter.pdf, { dpi: 150, skewDegrees: 0.5 }));
    const tiff = Buffer.from(UTIF.encodeImage(new Uint8Array(page.rgba.buffer), page.width, page.height));
    const uploaded = await upload(tiff, 'MFP-0007.tif', 'image/tiff');
    expect(uploaded.body).toMatchObject({ mediaType: 'image/tiff' });
    const scan = await settled(uploaded.body.id);
    expect(scan).toMatchObject({ status: 'filed', method: 'qr', customerId: letter.customerId });
    const document = (await agent.get(`/api/documents/${scan.documentId}`)).body;
    expect(document.currentVersion).toMatchObject({ mediaType: 'image/tiff', size: tiff.length });
    // Tickets take no TIFF attachments: the ticket points at the document instead.
    const ticket = (await agent.get(`/api/tickets/${scan.ticketId}`)).body;
    expect(ticket.messages[0].attachments).toEqual([]);
    expect(ticket.messages[0].body).toContain(`It is filed as the document “${document.title}” in Scanned mail.`);
  });
});

describe('scans that find nothing', () => {
  it('waits unmatched until staff file it by hand on the customer and communication', async () => {
    const letter = await sentLetter();
    const png = await replyScan(letter.pdf, { withoutReference: true, handwriting: 'Please call me back' });
    const scan = await settled((await upload(png, 'no-code.png', 'image/png')).body.id);
    expect(scan).toMatchObject({ status: 'unmatched', customerId: null, ticketId: null, method: null });
    expect(scan.detail).toMatch(/No reference code was found/);
    const waiting = (await agent.get('/api/scans?status=unmatched')).body.scans;
    expect(waiting.map((row: { id: string }) => row.id)).toContain(scan.id);

    // A code read off the paper with one character wrong is refused, naming the field.
    const code = referenceCodeOf(letter.communicationId);
    const typo = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    const refused = await agent.post(`/api/scans/${scan.id}/file`, { reference: typo });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'body.reference' })]);
    const elsewhere = await sentLetter();
    const notTheirs = await agent.post(`/api/scans/${scan.id}/file`, {
      customerId: letter.customerId,
      communicationId: elsewhere.communicationId,
    });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.body.details).toEqual([expect.objectContaining({ path: 'body.communicationId' })]);
    expect((await viewer.post(`/api/scans/${scan.id}/file`, { reference: code })).status).toBe(403);

    const filing = await agent.post(`/api/scans/${scan.id}/file`, {
      customerId: letter.customerId,
      communicationId: letter.communicationId,
    });
    expect(filing.status).toBe(202);
    expect(filing.body).toMatchObject({ status: 'filing', method: 'hand' });
    const filed = await settled(scan.id);
    expect(filed).toMatchObject({ method: 'hand', filedBy: agent.user.email });
    await expectFiled(filed, letter);

    const again = await agent.post(`/api/scans/${scan.id}/file`, { reference: code });
    expect(again.status).toBe(409);
    // Reading a page without a code runs OCR over all of it.
  }, 180_000);

  it('refuses a file that is no scan, naming the file', async () => {
    const refused = await upload(Buffer.from('just some words'), 'note.txt', 'image/png');
    expect(refused.status).toBe(415);
    expect(refused.body.details).toEqual([expect.objectContaining({ path: 'body.file' })]);
  });
});
