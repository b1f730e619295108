import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { systemActor } from '../../src/shared/actor.js';
import { publishedNotice } from '../communications/support.js';
import { upload } from '../customers/fixtures/import-client.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

/**
 * Every keyset-paged list, over rows made in one transaction (so they share their timestamp to
 * the microsecond) and followed a few rows at a time: each row exactly once, in the list's order.
 */

let t: TestApp;
let admin: TestClient;
const COUNT = 101;
const LIMIT = 7;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

const ids = (query: ReturnType<typeof sql>) =>
  rows<{ id: string }>(t.app.storage.db, query).then((result) => result.map((row) => String(row.id)));

/** Follows `nextCursor` from the first page to the last and returns the ids of every row seen. */
async function pageThrough(path: string, listKey: string, idKey = 'id'): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages <= COUNT; pages++) {
    const separator = path.includes('?') ? '&' : '?';
    const response = await admin.get(
      `${path}${separator}limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.status, response.text).toBe(200);
    seen.push(...response.body[listKey].map((row: Record<string, unknown>) => String(row[idKey])));
    cursor = response.body.nextCursor;
    if (cursor === null) return seen;
  }
  throw new Error(`${path} never ended`);
}

/**
 * The instant every row of one transaction shares; written out so that its microseconds are there
 * on both engines (PGlite's clock ticks in milliseconds).
 */
const SHARED_INSTANT = '2026-11-23 09:00:00.123456+00';

/** Customers tagged `tag`, made in one statement; names repeat so that a name sort has ties too. */
async function customersInOneTransaction(tag: string) {
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, tags, created_at, updated_at)
    select 'person', 'Customer ' || (n % 10), 'Customer', (n % 10)::text, array[${tag}],
           ${SHARED_INSTANT}::timestamptz, ${SHARED_INSTANT}::timestamptz
    from generate_series(1, ${COUNT}) n`);
}

describe('paging over rows made in one transaction: each row once, in order', () => {
  it('communications of a batch run', async () => {
    await publishedNotice(t);
    await customersInOneTransaction('run-paging');
    const runId = randomUUID();
    await t.app.storage.db.execute(sql`
      insert into communications
        (customer_id, template_id, template_version_id, purpose, batch_run_id, created_by, created_at)
      select c.id, v.template_id, v.id, 'service', ${runId}, 'test', ${SHARED_INSTANT}::timestamptz
      from customers c, template_versions v join templates tpl on tpl.id = v.template_id
      where 'run-paging' = any(c.tags) and tpl.key = 'meter-reading' and v.status = 'published'`);
    const expected = await ids(
      sql`select id from communications where batch_run_id = ${runId} order by created_at desc, id desc`,
    );
    expect(expected).toHaveLength(COUNT);
    expect(await pageThrough(`/api/communications?batchRunId=${runId}`, 'communications')).toEqual(expected);
  });

  it('customers, by every sort and in both directions', async () => {
    await customersInOneTransaction('list-paging');
    const columns = { name: 'name', created: 'created_at', updated: 'updated_at' };
    for (const [sort, column] of Object.entries(columns)) {
      for (const order of ['asc', 'desc']) {
        const direction = sql.raw(order);
        const expected = await ids(
          sql`select id from customers where 'list-paging' = any(tags)
              order by ${sql.identifier(column)} ${direction}, id ${direction}`,
        );
        expect(expected).toHaveLength(COUNT);
        const seen = await pageThrough(`/api/customers?tag=list-paging&sort=${sort}&order=${order}`, 'customers');
        expect(seen, `${sort} ${order}`).toEqual(expected);
      }
    }
  });

  it("a customer's timeline", async () => {
    await customersInOneTransaction('timeline-paging');
    const [customer] = await ids(sql`select id from customers where 'timeline-paging' = any(tags) limit 1`);
    await t.app.storage.db.execute(sql`
      insert into timeline_entries (customer_id, kind, title, at, data)
      select ${customer}, 'note', 'Entry ' || n, now(), '{}'::jsonb from generate_series(1, ${COUNT}) n`);
    const expected = await ids(
      sql`select id from timeline_entries where customer_id = ${customer} order by at desc, id desc`,
    );
    expect(expected.length).toBeGreaterThanOrEqual(COUNT);
    expect(await pageThrough(`/api/customers/${customer}/timeline`, 'entries')).toEqual(expected);
  });

  it('jobs', async () => {
    await t.app.storage.db.execute(sql`
      insert into jobs (kind, payload, status)
      select 'paging.test', jsonb_build_object('n', n), 'cancelled' from generate_series(1, ${COUNT}) n`);
    const expected = await ids(sql`select id from jobs where kind = 'paging.test' order by id desc`);
    expect(expected).toHaveLength(COUNT);
    expect(await pageThrough('/api/jobs?kind=paging.test', 'jobs')).toEqual(expected);
  });

  it('the audit trail', async () => {
    await t.app.storage.db.transaction(async (tx) => {
      for (let n = 0; n < COUNT; n++)
        await t.app.audit.record(tx, systemActor('test'), {
          action: 'paging.test',
          entityType: 'test',
          entityId: String(n),
        });
    });
    const expected = await ids(sql`select seq as id from audit_events where action = 'paging.test' order by seq desc`);
    expect(expected).toHaveLength(COUNT);
    expect(await pageThrough('/api/audit?action=paging.test', 'events', 'seq')).toEqual(expected);
  });

  it("an import's rejects, whole rows at a time", async () => {
    const uploaded = await upload(admin, 'Name,E-Mail\nA,a@example.test\n');
    expect(uploaded.status).toBe(201);
    const importId = uploaded.body.import.id as string;
    // Three problems on every row, one row with more problems than a page holds.
    await t.app.storage.db.execute(sql`
      insert into customer_import_rejects (import_id, row_number, field, reason)
      select ${importId}::uuid, n / 3 + 2, 'Field ' || (n % 3), 'Problem ' || n from generate_series(0, ${COUNT * 3 - 1}) n
      union all
      select ${importId}::uuid, ${COUNT + 5}::int, 'Wide ' || n, 'Problem' from generate_series(1, ${LIMIT * 2}) n`);
    const expected = await rows<{ id: string }>(
      t.app.storage.db,
      sql`select row_number || ' ' || field || ' ' || reason as id from customer_import_rejects
          where import_id = ${importId} order by row_number, field, reason`,
    ).then((result) => result.map((row) => row.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await admin.get(
        `/api/customer-imports/${importId}/rejects?limit=${LIMIT}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.status).toBe(200);
      seen.push(
        ...response.body.rejects.map(
          (reject: { rowNumber: number; field: string; reason: string }) =>
            `${reject.rowNumber} ${reject.field} ${reject.reason}`,
        ),
      );
      cursor = response.body.nextCursor;
    } while (cursor && seen.length <= expected.length);
    expect(seen).toEqual(expected);
  });
});
