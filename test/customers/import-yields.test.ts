import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { upload, waitForImport } from './fixtures/import-client.js';

const ROWS = 6000;
const finished = new Set(['completed', 'rejected', 'failed']);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' } });
  t.app.worker.start();
});
afterAll(() => t.close());

it('answers other requests while a large import runs: the import yields between batches', async () => {
  const manager = await t.signedIn(['manager']);
  const lines = Array.from(
    { length: ROWS },
    (_, i) => `Yara,Yield ${i},yara${i}@yield.example,+49 151 ${20_000_000 + i}`,
  );
  const uploaded = await upload(manager, `Vorname,Nachname,E-Mail,Mobil\n${lines.join('\n')}\n`);
  expect(uploaded.status).toBe(201);
  const id = uploaded.body.import.id;
  const started = await manager.post(`/api/customer-imports/${id}/start`, {
    mapping: { Vorname: 'givenName', Nachname: 'familyName', 'E-Mail': 'email', Mobil: 'phone' },
  });
  expect(started.status).toBe(202);

  // Requests of another user, one after another; each counts if the import had not finished when it answered.
  const agent = await t.signedIn(['agent']);
  const during: number[] = [];
  for (;;) {
    const start = performance.now();
    const [health, list] = await Promise.all([agent.get('/healthz'), agent.get('/api/customers?limit=5')]);
    const took = performance.now() - start;
    expect(health.status).toBe(200);
    expect(list.status).toBe(200);
    const status = (await manager.get(`/api/customer-imports/${id}`)).body;
    if (finished.has(status.status)) break;
    during.push(took);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(during.length).toBeGreaterThanOrEqual(3);
  // Slow machines are slow, but a request is never held for the length of the import.
  expect(Math.max(...during)).toBeLessThan(5000);
  expect(await waitForImport(manager, id)).toMatchObject({ status: 'completed', inserted: ROWS });
});
