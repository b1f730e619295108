import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrantPresence } from '../../src/documents/access/grant-presence.js';
import { stopOcr } from '../../src/documents/text/ocr.js';
import { createSearchService } from '../../src/search/search.service.js';
import type { Actor } from '../../src/shared/actor.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { multipart, sendRaw, type FilePart } from '../documents/upload.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait-for.js';
import { docx, textPdf, textPng } from './generated-files.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let agent: Client;
let viewer: Client;
let contracts: string;
let letters: string;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ config: { smtpUrl: smtp.url }, workerPollMs: 50 });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  contracts = (await agent.post('/api/document-folders', { name: 'Contracts', parentId: null })).body.id;
  letters = (await agent.post('/api/document-folders', { name: 'Letters', parentId: null })).body.id;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await stopOcr();
});

/** Uploads a file and runs the jobs its upload queued (text extraction). */
async function upload(folderId: string, fields: Record<string, string>, file: FilePart) {
  const uploaded = await sendRaw(agent, 'POST', '/api/documents', { form: multipart({ folderId, ...fields }, file) });
  if (uploaded.status !== 201) throw new Error(JSON.stringify(uploaded.body));
  await t.app.worker.drain();
  return uploaded.body.id as string;
}

const search = (client: Client, query: Record<string, string>) =>
  client.get(`/api/search?${new URLSearchParams(query).toString()}`);

const ids = (body: { results: { id: string }[] }) => body.results.map((result) => result.id);

describe('finding documents by their text', () => {
  it('finds a picture by a word only its OCR reads, with the word highlighted in the snippet', async () => {
    const id = await upload(
      letters,
      { title: 'Scanned reply' },
      {
        filename: 'reply.png',
        mediaType: 'image/png',
        bytes: await textPng(['Customer reply mentions', 'the axolotl tariff']),
      },
    );
    const text = await agent.get(`/api/documents/${id}/text`);
    expect(text.body).toMatchObject({ version: '1.0', status: 'done', method: 'ocr' });

    const found = await search(agent, { q: 'axolotl' });
    expect(found.status).toBe(200);
    expect(ids(found.body)).toEqual([id]);
    expect(found.body.results[0]).toMatchObject({ kind: 'document', title: 'Scanned reply', folderName: 'Letters' });
    expect(found.body.results[0].snippet).toContain('<mark>axolotl</mark>');
  });

  it('reads PDF and Word files, stems words, and ranks a title match above a match in the text', async () => {
    const inText = await upload(
      contracts,
      { title: 'Framework agreement', tags: 'energy, 2026' },
      {
        filename: 'a.pdf',
        mediaType: 'application/pdf',
        bytes: await textPdf(['The supplier delivers pelicans weekly.']),
      },
    );
    const inTitle = await upload(
      contracts,
      { title: 'Pelican delivery schedule', tags: 'energy' },
      {
        filename: 'b.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes: await docx(['Deliveries on Mondays.']),
      },
    );
    const found = await search(agent, { q: 'pelican' });
    expect(ids(found.body)).toEqual([inTitle, inText]);
    expect(found.body.total).toBe(2);
    expect(found.body.results[1].snippet).toContain('<mark>pelicans</mark>');
  });

  it('counts facets over every match and narrows by them', async () => {
    await upload(
      letters,
      { title: 'Complaint about the heron invoice', tags: 'complaint' },
      { filename: 'c.txt', mediaType: 'text/plain', bytes: Buffer.from('Heron invoice was wrong.') },
    );
    await upload(
      contracts,
      { title: 'Heron contract', tags: 'energy, complaint' },
      { filename: 'd.md', mediaType: 'text/markdown', bytes: Buffer.from('# Heron\n\nA *contract*.') },
    );
    await upload(
      contracts,
      { title: 'Heron annex', tags: 'energy' },
      { filename: 'e.html', mediaType: 'text/html', bytes: Buffer.from('<p>Heron annex</p>') },
    );
    const found = await search(agent, { q: 'heron' });
    expect(found.body.total).toBe(3);
    const counts = (facet: { label: string; count: number }[]) =>
      Object.fromEntries(facet.map((value) => [value.label, value.count]));
    expect(counts(found.body.facets.folder)).toEqual({ Contracts: 2, Letters: 1 });
    expect(counts(found.body.facets.tag)).toEqual({ complaint: 2, energy: 2 });
    expect(counts(found.body.facets.kind)).toEqual({ document: 3 });
    expect(counts(found.body.facets.mediaType)).toEqual({ 'text/plain': 1, 'text/markdown': 1, 'text/html': 1 });

    const narrowed = await search(agent, { q: 'heron', folderId: contracts, tag: 'complaint' });
    expect(narrowed.body.results.map((result: { title: string }) => result.title)).toEqual(['Heron contract']);

    const paged = await search(agent, { q: 'heron', limit: '2' });
    expect(paged.body.results).toHaveLength(2);
    expect(paged.body.nextOffset).toBe(2);
    const rest = await search(agent, { q: 'heron', limit: '2', offset: '2' });
    expect(rest.body.nextOffset).toBeNull();
    expect([...ids(paged.body), ...ids(rest.body)].sort()).toEqual(ids(found.body).sort());
    expect(found.body.totalIsAtLeast).toBe(false);
  });

  it('past its match limit ranks the first matches and says "at least"', async () => {
    const system: Actor = { kind: 'system', label: 'test' };
    const asked = { q: 'heron', offset: 0, limit: 20 };
    const { db, listen } = t.app.storage;
    const grants = createGrantPresence({ db, listen });
    const capped = await createSearchService({ db, grants, matchLimit: 2 }).search(system, asked);
    expect(capped).toMatchObject({ total: 2, totalIsAtLeast: true, nextOffset: null });
    expect(capped.results).toHaveLength(2);
    expect(capped.facets.kind).toEqual([{ value: 'document', label: 'document', count: 2 }]);

    // Filters narrow before the limit, so a match past it is still found by them.
    const narrowed = await createSearchService({ db, grants, matchLimit: 1 }).search(system, {
      ...asked,
      folderId: [letters],
    });
    expect(narrowed).toMatchObject({ total: 1, totalIsAtLeast: true });
    expect(narrowed.results.map((result) => result.title)).toEqual(['Complaint about the heron invoice']);
  });

  it('never shows a document its folder permissions keep from the searcher', async () => {
    const vault = (await agent.post('/api/document-folders', { name: 'Vault', parentId: null })).body.id;
    const id = await upload(
      vault,
      { title: 'Okapi memo' },
      { filename: 'o.txt', mediaType: 'text/plain', bytes: Buffer.from('The okapi budget.') },
    );
    const admin = await t.signedIn(['admin']);
    const granted = await admin.put(`/api/document-folders/${vault}/permissions`, {
      grants: [{ subjectType: 'role', subjectId: 'agent', level: 'manage' }],
    });
    expect(granted.status, granted.text).toBe(200);
    expect(ids((await search(agent, { q: 'okapi' })).body)).toEqual([id]);
    const hidden = await search(viewer, { q: 'okapi' });
    expect(hidden.body).toMatchObject({ total: 0, results: [] });
    expect(hidden.body.facets.folder).toEqual([]);
  });

  it('never shows a deleted document', async () => {
    const id = await upload(
      contracts,
      { title: 'Obsolete ibis memo' },
      { filename: 'f.txt', mediaType: 'text/plain', bytes: Buffer.from('ibis') },
    );
    expect(ids((await search(agent, { q: 'ibis' })).body)).toEqual([id]);
    const admin = await t.signedIn(['admin']);
    expect((await admin.delete(`/api/documents/${id}`)).status).toBe(204);
    expect((await search(agent, { q: 'ibis' })).body).toMatchObject({ total: 0, results: [] });
  });

  it('searches the current version only, and says when a file could not be read', async () => {
    const id = await upload(
      contracts,
      { title: 'Draft' },
      { filename: 'g.txt', mediaType: 'text/plain', bytes: Buffer.from('first draft mentions walrus') },
    );
    const added = await sendRaw(agent, 'POST', `/api/documents/${id}/versions`, {
      form: multipart(
        { comment: 'rewritten' },
        { filename: 'g.txt', mediaType: 'text/plain', bytes: Buffer.from('now about narwhals') },
      ),
    });
    expect(added.status).toBe(201);
    expect((await agent.get(`/api/documents/${id}/text`)).body.status).toBe('pending');
    await t.app.worker.drain();
    expect(ids((await search(agent, { q: 'narwhal' })).body)).toEqual([id]);
    expect((await search(agent, { q: 'walrus' })).body.total).toBe(0);

    const broken = await upload(
      contracts,
      { title: 'Broken scan' },
      { filename: 'broken.pdf', mediaType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 this is no PDF') },
    );
    const status = await agent.get(`/api/documents/${broken}/text`);
    expect(status.body).toMatchObject({ status: 'failed', method: null });
    expect(status.body.reason).toMatch(/cannot be read/);
    // Still found by its own words.
    expect(ids((await search(agent, { q: 'broken scan' })).body)).toEqual([broken]);
  });
});

describe('finding archived communications', () => {
  /** Sends the meter-reading notice due on `due` and runs the worker until it reaches `status`. */
  async function delivered(customerId: string, due: string, status: string) {
    const sent = await agent.post('/api/communications', { template: 'meter-reading', customerId, data: { due } });
    expect(sent.status).toBe(201);
    t.app.worker.start();
    await waitFor(
      () => agent.get(`/api/communications/${sent.body.id}`).then((response) => response.body.status),
      (current) => current === status,
    );
    await t.app.worker.stop(1_000);
    return sent;
  }
  /**
   * Runs the indexer now. Its own run, due every 10 s, may already have come while the worker sent
   * (on a loaded machine), so how many this run finds is not the point: the search below is.
   */
  const runIndexer = () => t.app.services.communicationIndex.indexArchived();

  it('finds an email by a word of its archived copy, for those who may read copies only', async () => {
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Grace',
      familyName: 'Hopper',
      timeZone: 'UTC',
      emails: ['grace@example.test'],
    });
    expect(customer.status).toBe(201);
    const sent = await delivered(customer.body.id, 'Quetzalday', 'sent');
    await runIndexer();

    const found = await search(agent, { q: 'quetzalday' });
    expect(found.body.results).toEqual([
      expect.objectContaining({
        kind: 'communication',
        id: sent.body.id,
        title: 'Meter reading reminder',
        channel: 'email',
      }),
    ]);
    expect(found.body.results[0].snippet).toContain('<mark>Quetzalday</mark>');
    expect(found.body.facets.customer).toEqual([{ value: customer.body.id, label: 'Grace Hopper', count: 1 }]);

    // A viewer reads documents but not archived copies.
    expect((await search(viewer, { q: 'quetzalday' })).body.total).toBe(0);
    expect((await search(viewer, { q: 'axolotl' })).body.total).toBe(1);
    // Indexed once: a second run finds nothing new.
    expect(await t.app.services.communicationIndex.indexArchived()).toBe(0);
  });

  it('finds a letter by a word of its body and by its street, as printed', async () => {
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Ada',
      familyName: 'Lovelace',
      address: { lines: ['12 Marchmont Street'], postalCode: 'WC1N 1AF', city: 'London', country: 'GB' },
      channelPreferences: ['letter'],
    });
    const sent = await delivered(customer.body.id, 'Zephyrday', 'awaiting_print');
    await runIndexer();

    for (const q of ['zephyrday', 'marchmont']) {
      const found = await search(agent, { q });
      expect(found.body.results, q).toEqual([
        expect.objectContaining({ kind: 'communication', id: sent.body.id, channel: 'letter' }),
      ]);
    }
    expect((await search(agent, { q: 'zephyrday' })).body.results[0].snippet).toContain('<mark>Zephyrday</mark>');
  });

  it('refuses one who may read neither, and a query without words', async () => {
    const nobody = await t.signedIn([]);
    expect((await search(nobody, { q: 'axolotl' })).status).toBe(403);
    const empty = await search(agent, { q: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.details[0].path).toBe('querystring.q');
  });
});

describe('comparing versions', () => {
  it('shows the changed details and the changed lines of the text', async () => {
    const id = await upload(
      contracts,
      { title: 'Price sheet' },
      {
        filename: 'prices.txt',
        mediaType: 'text/plain',
        bytes: Buffer.from('Base fee 10\nNight rate 20\nDay rate 30\n'),
      },
    );
    await sendRaw(agent, 'POST', `/api/documents/${id}/versions`, {
      form: multipart(
        { comment: 'new night rate' },
        {
          filename: 'prices-2.txt',
          mediaType: 'text/plain',
          bytes: Buffer.from('Base fee 10\nNight rate 25\nDay rate 30\n'),
        },
      ),
    });
    await t.app.worker.drain();
    const compared = await agent.get(`/api/documents/${id}/versions/compare?from=1.0&to=1.1`);
    expect(compared.status).toBe(200);
    expect(compared.body.sameContent).toBe(false);
    expect(compared.body.changes.map((change: { field: string }) => change.field)).toEqual(
      expect.arrayContaining(['filename', 'sha256', 'comment']),
    );
    expect(compared.body.text).toMatchObject({ state: 'ready', added: 1, removed: 1 });
    expect(compared.body.text.parts).toEqual([
      { kind: 'same', lines: ['Base fee 10'], count: 1 },
      { kind: 'removed', lines: ['Night rate 20'], count: 1 },
      { kind: 'added', lines: ['Night rate 25'], count: 1 },
      { kind: 'same', lines: ['Day rate 30'], count: 1 },
    ]);
    const missing = await agent.get(`/api/documents/${id}/versions/compare?from=1.0&to=7.0`);
    expect(missing.status).toBe(404);
    const bad = await agent.get(`/api/documents/${id}/versions/compare?from=one&to=1.1`);
    expect(bad.status).toBe(400);
  });
});
