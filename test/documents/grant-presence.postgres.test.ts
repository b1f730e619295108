import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait-for.js';
import { multipart, pdfBytes, sendRaw } from './upload.js';

// Two Tidings on one PostgreSQL database, as two processes behind a load balancer. While no grant
// exists anywhere, each lists documents without any grant condition; a grant written through one
// must shut a reader out on the other as soon as its NOTIFY arrives, not after any time-out.
let here: TestApp;
let there: TestApp;

beforeAll(async () => {
  here = await startTestApp();
  there = await startTestApp({ storage: await openStorage({ databaseUrl: here.storage.url!, poolSize: 4 }) });
});
afterAll(async () => {
  await there?.close();
  await here?.close();
});

it('a grant made in one process hides a document from a reader in another at once', async () => {
  const admin = await here.signedIn(['admin']);
  const agent = await here.createUser(['agent']);
  const reader = await there.client().signIn(agent.email, 'correct-horse-battery');
  const folder = await admin.post('/api/document-folders', { name: 'Board', parentId: null });
  const uploaded = await sendRaw(admin, 'POST', '/api/documents', {
    form: multipart(
      { folderId: folder.body.id, title: 'Minutes' },
      { filename: 'minutes.pdf', mediaType: 'application/pdf', bytes: pdfBytes() },
    ),
  });
  expect(uploaded.status).toBe(201);
  const listedThere = async () =>
    ((await reader.get('/api/documents?limit=50')).body.documents as { id: string }[]).map((d) => d.id);
  // Asked twice: the first answer is read while the process still finds out that no grant exists.
  expect(await listedThere()).toContain(uploaded.body.id);
  expect(await listedThere()).toContain(uploaded.body.id);

  const granted = await admin.put(`/api/document-folders/${folder.body.id}/permissions`, {
    grants: [{ subjectType: 'user', subjectId: admin.user.id, level: 'manage' }],
  });
  expect(granted.status).toBe(200);
  await waitFor(listedThere, (ids) => !ids.includes(uploaded.body.id), { timeoutMs: 5_000, intervalMs: 5 });

  // And back: with the grant gone, the roles decide again.
  expect((await admin.put(`/api/document-folders/${folder.body.id}/permissions`, { grants: [] })).status).toBe(200);
  await waitFor(listedThere, (ids) => ids.includes(uploaded.body.id), { timeoutMs: 5_000, intervalMs: 5 });
});
