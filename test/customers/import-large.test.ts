import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { importCsv } from './fixtures/import-client.js';

const ROWS = 10_000;
/** Each row carries this much text, so that holding the rows would show: 10,000 × 2,000 two-byte characters ≈ 40 MB. */
const NOTE = 'Kundennotiz – '.repeat(143);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' } });
  t.app.worker.start();
  const admin = await t.signedIn(['admin']);
  await admin.post('/api/customer-attributes', { key: 'note', label: 'Note', type: 'text' });
});
afterAll(() => t.close());

/** A CSV generated while it is read, so the test holds no more of it than the import does. */
function generatedCsv(count: number) {
  return Readable.from(
    (function* lines() {
      yield 'Kundennummer,Vorname,Nachname,E-Mail,Mobil,Straße,Ort,Newsletter,Notiz\n';
      for (let start = 0; start < count; start += 500) {
        let chunk = '';
        for (let i = start; i < Math.min(count, start + 500); i++) {
          chunk += `K-${i},Vorname${i},Nachname ${i % 97},kunde${i}@large.example,+49 151 ${10_000_000 + i},Hauptstraße ${i % 200},Berlin,${i % 3 ? 'ja' : 'nein'},${NOTE}${i}\n`;
        }
        yield chunk;
      }
    })(),
  );
}

/** The heap that is still reachable, measured after a full collection (garbage is not what we look for). */
function liveHeap() {
  v8.setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  return () => {
    collect();
    return process.memoryUsage().heapUsed;
  };
}

it(`imports ${ROWS.toLocaleString('en')} wide rows streamed, with a live heap that does not grow with the file`, async () => {
  const manager = await t.signedIn(['manager']);
  const measure = liveHeap();
  const baseline = measure();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, measure())), 2000);
  const started = performance.now();
  const mapping = {
    Kundennummer: 'externalId',
    Vorname: 'givenName',
    Nachname: 'familyName',
    'E-Mail': 'email',
    Mobil: 'mobile',
    Straße: 'addressLine1',
    Ort: 'city',
    Newsletter: 'consent.email.marketing',
    Notiz: 'attributes.note',
  };
  const done = await importCsv(
    manager,
    generatedCsv(ROWS),
    { mapping, upsertBy: 'external_id' },
    'large.csv',
    280_000,
  ).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  expect(done).toMatchObject({ status: 'completed', rowsTotal: ROWS, inserted: ROWS, rejected: 0 });
  const [stored] = await rows<{ n: number; consents: number }>(
    t.app.db,
    sql`select count(*)::int as n, (select count(*)::int from customer_consents where source = 'import') as consents from customers where external_id like 'K-%'`,
  );
  expect(stored).toEqual({ n: ROWS, consents: ROWS });
  const growthMb = (peak - baseline) / 1_048_576;
  console.log(
    `${ROWS} rows (${((ROWS * NOTE.length) / 1_048_576).toFixed(0)} M characters) in ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds)} rows/s; live heap grew ${growthMb.toFixed(1)} MB at most`,
  );
  expect(growthMb).toBeLessThan(25);
}, 300_000);
