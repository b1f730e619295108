import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceCodeOf } from '../../src/communications/reference-code.js';
import { publishedNotice } from '../communications/support.js';
import { multipart, sendRaw } from '../documents/upload.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { letterPage, scannedReply } from './paper.js';
import { letterSent } from './support.js';

let t: TestApp;
let agent: TestClient;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' }, workerPollMs: 50 });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  t.app.worker.start();
});
afterAll(() => t.close());

// The code names a range of the communications' primary key: PostgreSQL orders UUIDs byte by byte, as PGlite does.
describe('reference codes on PostgreSQL', () => {
  it('resolve to their communication, and a scan carrying one is filed on it by several job workers', async () => {
    const letters = [await letterSent(agent), await letterSent(agent)];
    for (const letter of letters) {
      const code = referenceCodeOf(letter.communicationId);
      const named = await agent.get(`/api/scans/references/${code}`);
      expect(named.body).toMatchObject({ id: letter.communicationId, customerId: letter.customerId });
      const typo = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
      expect((await agent.get(`/api/scans/references/${typo}`)).status).toBe(404);
    }
    const uploads = await Promise.all(
      letters.map(async (letter, index) => {
        const jpeg = await scannedReply(await letterPage(letter.pdf), { skewDegrees: index - 1, format: 'jpeg' });
        const form = multipart({}, { filename: `reply-${index}.jpg`, mediaType: 'image/jpeg', bytes: jpeg });
        return (await sendRaw(agent, 'POST', '/api/scans', { form })).body.id as string;
      }),
    );
    for (const [index, id] of uploads.entries()) {
      const scan = await waitFor(
        () => agent.get(`/api/scans/${id}`).then((r) => r.body),
        (body) => !['received', 'filing'].includes(body.status),
        { timeoutMs: 90_000, intervalMs: 200 },
      );
      expect(scan).toMatchObject({
        status: 'filed',
        method: 'qr',
        customerId: letters[index]!.customerId,
        communicationId: letters[index]!.communicationId,
      });
    }
    // Both in one "Scanned mail" folder, however the two jobs met making it.
    const folders = (await agent.get('/api/document-folders')).body.folders as {
      name: string;
      documentCount: number;
    }[];
    expect(folders.filter((folder) => folder.name === 'Scanned mail')).toEqual([
      expect.objectContaining({ documentCount: 2 }),
    ]);
  }, 150_000);
});
