import { expect } from 'vitest';
import { TEST_PASSWORD, type TestApp } from '../support/app.js';
import { multipart, pdfBytes, sendRaw, type FilePart } from '../documents/upload.js';

export type Client = Awaited<ReturnType<TestApp['signedIn']>>;

let counter = 0;

/** A folder for a test file's documents. */
export async function folder(as: Client, name = `Records ${++counter}`) {
  const created = await as.post('/api/document-folders', { name, parentId: null });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

export const pdf = (bytes = pdfBytes(), filename = 'Contract.pdf'): FilePart => ({
  filename,
  mediaType: 'application/pdf',
  bytes,
});

/** Uploads a document and answers its body. */
export async function upload(as: Client, folderId: string, fields: Record<string, string> = {}, file = pdf()) {
  const uploaded = await sendRaw(as, 'POST', '/api/documents', { form: multipart({ folderId, ...fields }, file) });
  expect(uploaded.status).toBe(201);
  return uploaded.body as { id: string; title: string; currentVersion: { sha256: string } };
}

/** Uploads new content for a document as its next version; answers the raw response. */
export const newVersion = (as: Client, id: string, file = pdf()) =>
  sendRaw(as, 'POST', `/api/documents/${id}/versions`, { form: multipart({ comment: 'next' }, file) });

export async function customer(as: Client, familyName = `Holder${++counter}`) {
  const created = await as.post('/api/customers', {
    kind: 'person',
    givenName: 'Hedda',
    familyName,
    emails: [`hedda.${familyName.toLowerCase()}${++counter}@records.example`],
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

export async function ticket(as: Client, customerId: string, subject = 'Please call me back') {
  const created = await as.post('/api/tickets', {
    kind: 'request',
    subject,
    customerId,
    message: 'About my contract.',
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; number: number };
}

export async function placeHold(as: Client, matter: string, scope: { kind: string; targetId: string }[]) {
  const placed = await as.post('/api/legal-holds', { matter, description: 'Preserve everything', scope });
  expect(placed.status).toBe(201);
  return placed.body as { id: string; matter: string };
}

/** The same user signed in afresh, after the test clock moved past their session's end. */
export async function signInAgain(t: TestApp, client: Client): Promise<Client> {
  return Object.assign(await t.client().signIn(client.user.email, TEST_PASSWORD), { user: client.user });
}
