import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { publishedFragment } from '../templates/support.js';
import { testClock } from '../support/clock.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';

// Midday today: the tests move the clock on by most of an hour, and every record must stay in today's bucket.
const clock = testClock(new Date(new Date().setUTCHours(12, 0, 0, 0)), { ticking: true });
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let agent: TestClient;
let admin: TestClient;
let viewer: TestClient;
let author: TestClient;
let reviewer: TestClient;
let sent: { id: string; providerMessageId: string; templateVersionId: string; templateId: string }[] = [];

const day = (offset: number) =>
  new Date(Date.UTC(clock.now().getUTCFullYear(), clock.now().getUTCMonth(), clock.now().getUTCDate() + offset));
const isoDay = (offset: number) => day(offset).toISOString().slice(0, 10);
/** Three days: two empty ones, then today. */
const period = () => `from=${day(-2).toISOString()}&to=${day(1).toISOString()}&bucket=day`;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({
    config: { smtpUrl: smtp.url, defaultCountry: 'DE' },
    clock,
    workerPollMs: 50,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  ({ author, reviewer } = await publishedNotice(t));
  agent = await t.signedIn(['agent']);
  admin = await t.signedIn(['admin']);
  viewer = await t.signedIn(['viewer']);
  t.app.worker.start();

  // Four emails to four customers who can be reached by email only, so a hard bounce ends one for good.
  const ids: string[] = [];
  for (const name of ['Ada', 'Bea', 'Cy', 'Dot']) {
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: name,
      familyName: 'Kpi',
      emails: [`${name.toLowerCase()}.${Date.now()}@kpi.example`],
    });
    const created = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: customer.body.id,
      data: { due: '30 November' },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  sent = await Promise.all(
    ids.map((id) =>
      waitFor(
        () => agent.get(`/api/communications/${id}`).then((response) => response.body),
        (body) => body.status === 'sent',
      ),
    ),
  );
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const series = (client: TestClient, key: string, query = '') =>
  client.get(`/api/insights/kpis/${key}?${period()}${query}`);

describe('KPIs from live data', () => {
  it('lists every definition with its unit, direction and how it is computed', async () => {
    const listed = await viewer.get('/api/insights/kpis');
    expect(listed.status).toBe(200);
    const bounce = listed.body.kpis.find((kpi: { key: string }) => kpi.key === 'bounce_rate');
    expect(bounce).toMatchObject({ unit: 'percent', higherIsBetter: false, groupedBy: 'channel' });
    expect(bounce.description).toMatch(/Hard bounces/);
    expect(listed.body.kpis.map((kpi: { key: string }) => kpi.key)).toEqual(
      expect.arrayContaining([
        'communications_sent',
        'complaint_rate',
        'backlog',
        'self_service_deflection',
        'opt_out_rate',
      ]),
    );
  });

  it('counts communications sent per bucket, empty buckets as zero, narrowed by channel', async () => {
    const all = await viewer.get(`/api/insights/kpis/communications_sent?${period()}`);
    expect(all.status).toBe(200);
    expect(all.body.points.map((point: { bucket: string; value: number }) => [point.bucket, point.value])).toEqual([
      [isoDay(-2), 0],
      [isoDay(-1), 0],
      [isoDay(0), 4],
    ]);
    expect(all.body.total.value).toBe(4);
    expect(all.body.groups).toEqual([{ group: 'email', value: 4, numerator: 4, denominator: 0 }]);
    expect((await series(viewer, 'communications_sent', '&channel=email')).body.total.value).toBe(4);
    expect((await series(viewer, 'communications_sent', '&channel=sms')).body.total.value).toBe(0);
    expect((await series(viewer, 'communications_sent', '&purpose=marketing')).body.total.value).toBe(0);
  });

  it('gives the bounce rate per channel: four handed over, one hard bounce is 25 %, and drills down to that one', async () => {
    const bounced = await admin.post('/api/delivery/bounces', { messageId: sent[0]!.providerMessageId, kind: 'hard' });
    expect(bounced.status).toBe(200);
    // Routed again, it reaches the customer in the portal.
    await waitFor(
      () => agent.get(`/api/communications/${sent[0]!.id}`).then((response) => response.body),
      (body) => body.status === 'sent' && body.channel === 'portal',
    );

    const rate = await series(viewer, 'bounce_rate', '&channel=email');
    expect(rate.body.total).toEqual({ value: 25, numerator: 1, denominator: 4 });
    // Nothing handed over on the empty days: no rate, not 0 %.
    expect(rate.body.points.map((point: { value: number | null }) => point.value)).toEqual([null, null, 25]);

    const records = await viewer.get(
      `/api/insights/kpis/bounce_rate/records?${period()}&channel=email&point=${isoDay(0)}`,
    );
    expect(records.status).toBe(200);
    expect(records.body.records.map((record: { type: string; id: string }) => [record.type, record.id])).toEqual([
      ['communication', sent[0]!.id],
    ]);
    const emptyDay = await viewer.get(`/api/insights/kpis/bounce_rate/records?${period()}&point=${isoDay(-1)}`);
    expect(emptyDay.body.records).toEqual([]);

    // Every one reached its customer in the end, the bounced one in the portal.
    const delivery = await series(viewer, 'delivery_rate');
    expect(delivery.body.total).toEqual({ value: 100, numerator: 4, denominator: 4 });
    expect(delivery.body.groups.map((group: { group: string }) => group.group)).toEqual(['email', 'portal']);
  });

  it('costs each communication at the rate of the channel that carried it, in total and per communication', async () => {
    // The default rates: 100 thousandths of a cent an email, nothing in the portal.
    expect((await series(viewer, 'communication_cost')).body.total.value).toBeCloseTo(0.003, 6);
    expect((await series(viewer, 'cost_per_communication')).body.total.value).toBeCloseTo(0.00075, 6);
    expect((await series(viewer, 'communication_cost', '&channel=email')).body.total.value).toBeCloseTo(0.003, 6);
  });

  it('gives the complaint rate per template version and drills down to the complaints', async () => {
    const target = sent[1]!;
    const customer = (await agent.get(`/api/communications/${target.id}`)).body.customerId;
    const complaint = await agent.post('/api/tickets', {
      kind: 'complaint',
      subject: 'Your reminder was wrong',
      customerId: customer,
      communicationId: target.id,
    });
    expect(complaint.status).toBe(201);

    const rate = await series(viewer, 'complaint_rate', `&templateVersionId=${target.templateVersionId}`);
    expect(rate.body.total).toEqual({ value: 25, numerator: 1, denominator: 4 });
    expect(rate.body.groups).toEqual([{ group: 'Meter reading reminder v1', value: 25, numerator: 1, denominator: 4 }]);
    const records = await viewer.get(
      `/api/insights/kpis/complaint_rate/records?${period()}&templateVersionId=${target.templateVersionId}&point=${isoDay(0)}`,
    );
    expect(records.body.records.map((record: { type: string; id: string }) => [record.type, record.id])).toEqual([
      ['ticket', complaint.body.id],
    ]);
    expect(records.body.records[0].title).toBe(`#${complaint.body.number} Your reminder was wrong`);

    // Another version's rate is untouched: no communications, nothing to divide by.
    const other = await series(viewer, 'complaint_rate', `&templateVersionId=00000000-0000-4000-8000-000000000000`);
    expect(other.body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('exports the same series as CSV', async () => {
    const json = await series(viewer, 'bounce_rate');
    const csv = await viewer.get(`/api/insights/kpis/bounce_rate/export.csv?${period()}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('bucket,value (percent),numerator,denominator');
    expect(lines.slice(1)).toEqual([
      ...json.body.points.map(
        (point: { bucket: string; value: number | null; numerator: number; denominator: number }) =>
          `${point.bucket},${point.value ?? ''},${point.numerator},${point.denominator}`,
      ),
      `total,${json.body.total.value},${json.body.total.numerator},${json.body.total.denominator}`,
    ]);
  });

  it('measures the backlog at the end of each bucket and response times per queue', async () => {
    const backlogBefore = (await series(viewer, 'backlog')).body;
    const [, , today] = backlogBefore.points;
    expect(today.value).toBeGreaterThanOrEqual(1);
    expect(backlogBefore.points[0].value).toBe(0);

    const policy = await admin.post('/api/sla/policies', {
      name: 'Inquiries',
      kind: 'inquiry',
      firstResponseMinutes: 60,
      resolutionMinutes: 600,
    });
    expect(policy.status).toBe(201);
    const queue = await admin.post('/api/ticket-queues', { name: `KPI queue ${Date.now()}` });
    expect(queue.status).toBe(201);
    const customer = (await agent.get(`/api/communications/${sent[2]!.id}`)).body.customerId;
    const ticket = await agent.post('/api/tickets', {
      kind: 'inquiry',
      subject: 'When do you read the meter?',
      customerId: customer,
      queueId: queue.body.id,
    });
    clock.advance(30 * 60_000);
    const reply = await agent.post(`/api/tickets/${ticket.body.id}/replies`, { body: 'In May.', channel: 'email' });
    expect(reply.status).toBeLessThan(300);

    const inQueue = `&queueId=${queue.body.id}`;
    const response = await series(viewer, 'first_response_time', inQueue);
    expect(response.body.total.denominator).toBe(1);
    expect(response.body.total.value).toBeGreaterThanOrEqual(30);
    expect(response.body.total.value).toBeLessThan(31);
    expect((await series(viewer, 'backlog', inQueue)).body.total.value).toBe(1);
    const open = await viewer.get(`/api/insights/kpis/backlog/records?${period()}${inQueue}&point=${isoDay(0)}`);
    expect(open.body.records.map((record: { id: string }) => record.id)).toEqual([ticket.body.id]);

    // Answered within the hour and resolved well within its target: the SLA is met, the backlog empty.
    clock.advance(15 * 60_000);
    expect((await agent.post(`/api/tickets/${ticket.body.id}/actions`, { action: 'resolve' })).status).toBe(200);
    const resolution = (await series(viewer, 'resolution_time', inQueue)).body.total;
    expect(resolution.denominator).toBe(1);
    expect(resolution.value).toBeGreaterThanOrEqual(45);
    expect((await series(viewer, 'sla_attainment', inQueue)).body.total).toEqual({
      value: 100,
      numerator: 1,
      denominator: 1,
    });
    expect((await series(viewer, 'backlog', inQueue)).body.total.value).toBe(0);
  });

  it('counts help-centre answers marked helpful against tickets opened', async () => {
    const category = (await admin.post('/api/knowledge/categories', { name: 'KPI help' })).body.id;
    const article = await agent.post('/api/knowledge/articles', {
      title: 'Reading your meter',
      visibility: 'public',
      categoryId: category,
      body: 'Look at the dial.',
    });
    await agent.post(`/api/knowledge/articles/${article.body.id}/actions`, { action: 'publish' });
    const before = (await series(viewer, 'self_service_deflection')).body.total;
    for (const helpful of [true, true, false])
      expect((await t.client().post(`/api/help/articles/${article.body.slug}/feedback`, { helpful })).status).toBe(204);
    const after = (await series(viewer, 'self_service_deflection')).body.total;
    expect(after.numerator - before.numerator).toBe(2);
    expect(after.denominator).toBe(before.denominator + 2);
    expect(after.value).toBeCloseTo((after.numerator / after.denominator) * 100, 3);
  });

  it('answers every KPI for any period: a series, its records and its CSV', async () => {
    const { kpis } = (await viewer.get('/api/insights/kpis')).body as { kpis: { key: string }[] };
    for (const { key } of kpis) {
      const answer = await series(viewer, key);
      expect(answer.status, key).toBe(200);
      expect(answer.body.points.map((point: { bucket: string }) => point.bucket)).toEqual([
        isoDay(-2),
        isoDay(-1),
        isoDay(0),
      ]);
      const records = await viewer.get(`/api/insights/kpis/${key}/records?${period()}&point=${isoDay(0)}&limit=2`);
      expect(records.status, key).toBe(200);
      expect((await viewer.get(`/api/insights/kpis/${key}/export.csv?${period()}`)).status, key).toBe(200);
    }
  });

  it('pages the records behind a point without skipping or repeating any', async () => {
    const all = await viewer.get(`/api/insights/kpis/communications_sent/records?${period()}&point=${isoDay(0)}`);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { records: { id: string }[]; nextCursor: string | null } } = await viewer.get(
        `/api/insights/kpis/communications_sent/records?${period()}&point=${isoDay(0)}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.body.records.map((record) => record.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(all.body.records.map((record: { id: string }) => record.id));
    expect(ids.length).toBeGreaterThan(3);
  });

  it('gives the opt-out rate after marketing sends: withdrawals within 14 days of one', async () => {
    await publishedFragment(author, reviewer, {
      key: 'unsubscribe-footer',
      name: 'Unsubscribe footer',
      kind: 'unsubscribe_footer',
      body: 'Unsubscribe: {{ data.unsubscribeUrl }}',
    });
    await author.post('/api/templates', {
      key: 'spring-offer',
      name: 'Spring offer',
      purpose: 'marketing',
      defaultLanguage: 'en',
      sampleData: { unsubscribeUrl: 'https://example.test/u' },
      variants: {
        en: {
          email: {
            subject: 'Spring offer',
            body: "Dear {{ customer.name }}, save this spring.\n\n{% fragment 'unsubscribe-footer' %}",
            format: 'markdown',
          },
        },
      },
    });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as [TestClient, string][])
      expect((await client.post('/api/templates/spring-offer/versions/1/workflow', { action })).status).toBe(200);
    const ids: string[] = [];
    for (const name of ['Eve', 'Fay']) {
      const customer = await agent.post('/api/customers', {
        kind: 'person',
        givenName: name,
        familyName: 'Offer',
        emails: [`${name.toLowerCase()}.${Date.now()}@offer.example`],
        consents: [{ channel: 'email', purpose: 'marketing', granted: true, source: 'form' }],
      });
      const created = await agent.post('/api/communications', {
        template: 'spring-offer',
        customerId: customer.body.id,
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      if (name === 'Eve') {
        await waitFor(
          () => agent.get(`/api/communications/${created.body.id}`).then((response) => response.body.status),
          (status) => status === 'sent',
        );
        clock.advance(60_000);
        const withdrawn = await agent.post(`/api/customers/${customer.body.id}/consents`, {
          channel: 'email',
          purpose: 'marketing',
          granted: false,
          source: 'phone',
        });
        expect(withdrawn.status).toBe(201);
      }
    }
    const rate = (await series(viewer, 'opt_out_rate')).body;
    expect(rate.total).toEqual({ value: 50, numerator: 1, denominator: 2 });
    const records = await viewer.get(`/api/insights/kpis/opt_out_rate/records?${period()}&point=${isoDay(0)}`);
    expect(records.body.records.map((record: { id: string }) => record.id)).toEqual([ids[0]]);
  });

  it('refuses a filter the KPI does not take and a period that ends before it starts, naming the field', async () => {
    const refused = await viewer.get(`/api/insights/kpis/communications_sent?${period()}&queueId=${sent[0]!.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'querystring.queueId', message: 'is not a filter of communications_sent' },
    ]);
    const backwards = await viewer.get(
      `/api/insights/kpis/backlog?from=${day(1).toISOString()}&to=${day(-1).toISOString()}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.details[0].path).toBe('querystring.to');
    expect((await viewer.get('/api/insights/kpis/no_such_kpi')).status).toBe(400);
  });
});
