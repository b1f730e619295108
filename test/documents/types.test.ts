import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { multipart, pdfBytes, sendRaw } from './upload.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;

let t: TestApp;
let admin: Client;
let agent: Client;
let folderId: string;
let contract: { id: string };
let invoice: { id: string };

const contractType = {
  name: 'Contract',
  description: 'Signed agreements',
  fields: [
    { key: 'counterparty', label: 'Counterparty', kind: 'text', required: true },
    { key: 'start', label: 'Start', kind: 'date', required: true },
    { key: 'end', label: 'End', kind: 'date' },
    { key: 'value', label: 'Value', kind: 'number' },
    { key: 'renewal', label: 'Renewal', kind: 'choice', choices: ['automatic', 'manual'] },
    { key: 'signed', label: 'Signed', kind: 'boolean' },
  ],
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
  agent = await t.signedIn(['agent']);
  folderId = (await agent.post('/api/document-folders', { name: 'Legal', parentId: null })).body.id;
  contract = (await admin.post('/api/document-types', contractType)).body;
  invoice = (
    await admin.post('/api/document-types', {
      name: 'Invoice',
      fields: [{ key: 'amount', label: 'Amount', kind: 'number', required: true }],
    })
  ).body;
});
afterAll(() => t.close());

const upload = (fields: Record<string, string>) =>
  sendRaw(agent, 'POST', '/api/documents', {
    form: multipart(
      { folderId, ...fields },
      { filename: 'contract.pdf', mediaType: 'application/pdf', bytes: pdfBytes() },
    ),
  });

const paths = (body: { details: { path: string }[] }) => body.details.map((detail) => detail.path).sort();

describe('defining document types', () => {
  it('keeps the fields as defined, with defaults for required and choices', async () => {
    const read = await agent.get(`/api/document-types/${contract.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'Contract', description: 'Signed agreements', documentCount: 0 });
    expect(read.body.fields[0]).toEqual({
      key: 'counterparty',
      label: 'Counterparty',
      kind: 'text',
      required: true,
      choices: [],
    });
    expect(read.body.fields[4]).toMatchObject({ kind: 'choice', required: false, choices: ['automatic', 'manual'] });
    const listed = await agent.get('/api/document-types');
    expect(listed.body.types.map((type: { name: string }) => type.name)).toEqual(['Contract', 'Invoice']);
  });

  it('refuses a bad definition naming the field that is wrong', async () => {
    const bad = await admin.post('/api/document-types', {
      name: 'Policy',
      fields: [
        { key: 'owner', label: 'Owner', kind: 'text' },
        { key: 'owner', label: 'Owner again', kind: 'text' },
        { key: 'level', label: 'Level', kind: 'choice' },
        { key: 'Bad key', label: 'Bad', kind: 'text' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['body.fields.1.key', 'body.fields.2.choices', 'body.fields.3.key']);
    const taken = await admin.post('/api/document-types', { name: 'Contract', fields: [] });
    expect(taken.status).toBe(409);
    expect(taken.body.details[0].path).toBe('body.name');
  });

  it('is for admins and records managers to define; others may only read', async () => {
    const refused = await agent.post('/api/document-types', { name: 'Memo', fields: [] });
    expect(refused.status).toBe(403);
    const records = await t.signedIn(['records_manager']);
    expect((await records.post('/api/document-types', { name: 'Memo', fields: [] })).status).toBe(201);
  });
});

describe('metadata of a typed document', () => {
  it('is stored typed on upload: numbers as numbers, dates as dates, yes/no as booleans', async () => {
    const uploaded = await upload({
      title: 'Supply agreement',
      typeId: contract.id,
      metadata: JSON.stringify({
        counterparty: '  Acme GmbH ',
        start: '2026-01-01',
        end: '2027-12-31',
        value: '125000.50',
        renewal: 'manual',
        signed: 'true',
      }),
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.typeId).toBe(contract.id);
    expect(uploaded.body.metadata).toEqual({
      counterparty: 'Acme GmbH',
      start: '2026-01-01',
      end: '2027-12-31',
      value: 125000.5,
      renewal: 'manual',
      signed: true,
    });
    const read = await agent.get(`/api/documents/${uploaded.body.id}`);
    expect(read.body.metadata.value).toBe(125000.5);
  });

  it('refuses bad values on upload, naming each field, and stores nothing', async () => {
    const before = (await agent.get(`/api/documents?folderId=${folderId}`)).body.documents.length;
    const bad = await upload({
      title: 'Broken',
      typeId: contract.id,
      metadata: JSON.stringify({
        start: '2026-02-30',
        end: 'next year',
        value: 'a lot',
        renewal: 'never',
        colour: 'red',
      }),
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual([
      'body.metadata.colour',
      'body.metadata.counterparty',
      'body.metadata.end',
      'body.metadata.renewal',
      'body.metadata.start',
      'body.metadata.value',
    ]);
    expect(bad.body.details.find((d: { path: string }) => d.path === 'body.metadata.end').message).toContain(
      'YYYY-MM-DD',
    );
    expect(bad.body.details.find((d: { path: string }) => d.path === 'body.metadata.counterparty').message).toContain(
      'required',
    );
    expect((await agent.get(`/api/documents?folderId=${folderId}`)).body.documents.length).toBe(before);

    const notJson = await upload({ typeId: contract.id, metadata: '{counterparty:' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.details[0].path).toBe('body.metadata');
    const untyped = await upload({ metadata: JSON.stringify({ counterparty: 'Acme' }) });
    expect(untyped.status).toBe(400);
    expect(untyped.body.details[0].path).toBe('body.metadata.counterparty');
  });

  it('checks a metadata edit against the type, and keeps the old values when refused', async () => {
    const uploaded = await upload({
      typeId: contract.id,
      metadata: JSON.stringify({ counterparty: 'Globex', start: '2026-03-01' }),
    });
    const id = uploaded.body.id;
    const bad = await agent.patch(`/api/documents/${id}`, {
      metadata: { counterparty: 'Globex', start: '2026-03-01', end: '31.12.2027' },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['body.metadata.end']);
    const good = await agent.patch(`/api/documents/${id}`, {
      metadata: { counterparty: 'Globex Ltd', start: '2026-03-01', end: '2027-12-31', value: 9000 },
    });
    expect(good.status).toBe(200);
    expect(good.body.metadata).toEqual({
      counterparty: 'Globex Ltd',
      start: '2026-03-01',
      end: '2027-12-31',
      value: 9000,
    });

    const audit = await admin.get(`/api/audit?entityType=document&entityId=${id}`);
    const updated = audit.body.events.find((event: { action: string }) => event.action === 'document.updated');
    expect(updated.summary.fieldChanges['metadata.counterparty']).toEqual({ before: 'Globex', after: 'Globex Ltd' });
  });

  it('checks the metadata again when the type changes', async () => {
    const uploaded = await upload({
      typeId: contract.id,
      metadata: JSON.stringify({ counterparty: 'Initech', start: '2026-05-01' }),
    });
    const id = uploaded.body.id;
    const refused = await agent.patch(`/api/documents/${id}`, { typeId: invoice.id });
    expect(refused.status).toBe(400);
    expect(paths(refused.body)).toEqual(['body.metadata.amount', 'body.metadata.counterparty', 'body.metadata.start']);
    expect((await agent.get(`/api/documents/${id}`)).body.typeId).toBe(contract.id);

    const changed = await agent.patch(`/api/documents/${id}`, { typeId: invoice.id, metadata: { amount: '420' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ typeId: invoice.id, metadata: { amount: 420 } });

    const untyped = await agent.patch(`/api/documents/${id}`, { typeId: null });
    expect(untyped.body).toMatchObject({ typeId: null, metadata: {} });
  });

  it('lists documents of one type', async () => {
    const invoiceDoc = await upload({
      title: 'Invoice 7',
      typeId: invoice.id,
      metadata: JSON.stringify({ amount: 7 }),
    });
    const contracts = (await agent.get(`/api/documents?typeId=${contract.id}`)).body.documents;
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.every((document: { typeId: string }) => document.typeId === contract.id)).toBe(true);
    const invoices = (await agent.get(`/api/documents?typeId=${invoice.id}`)).body.documents;
    expect(invoices.map((document: { id: string }) => document.id)).toContain(invoiceDoc.body.id);
    expect(invoices.every((document: { typeId: string }) => document.typeId === invoice.id)).toBe(true);
  });

  it('counts the documents of a type and refuses to remove a type in use', async () => {
    const read = await agent.get(`/api/document-types/${invoice.id}`);
    expect(read.body.documentCount).toBe(1);
    const refused = await admin.delete(`/api/document-types/${invoice.id}`);
    expect(refused.status).toBe(409);
    const unused = (await admin.post('/api/document-types', { name: 'Unused', fields: [] })).body;
    expect((await admin.delete(`/api/document-types/${unused.id}`)).status).toBe(204);
    expect((await agent.get(`/api/document-types/${unused.id}`)).status).toBe(404);
  });
});
