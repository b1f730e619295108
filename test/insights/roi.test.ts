import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;
let agent: TestClient;
let viewer: TestClient;
let runId: string;
let emptyRunId: string;
let templateId: string;
let versionId: string;
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });

/** Customers tagged `tag` reachable by email only, made in one statement, as a segment. */
async function segmentOf(tag: string, count: number) {
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text, array['c' || n || '.' || ${tag} || '@roi.example'],
      array['email'], array[${tag}]
    from generate_series(1, ${count}) n`);
  const segment = await manager.post('/api/segments', { name: `Tagged ${tag}`, filter: { tagsAll: [tag] } });
  expect(segment.status).toBe(201);
  return segment.body.id as string;
}

async function finishedRun(segmentId: string) {
  const started = await manager.post('/api/batch-runs', {
    template: 'meter-reading',
    segmentId,
    data: { due: '30 November' },
  });
  expect(started.status).toBe(201);
  await t.app.worker.drain();
  return started.body as { id: string; templateId: string; templateVersionId: string };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ clock, config: { smtpUrl: smtp.url } });
  await publishedNotice(t);
  manager = await t.signedIn(['manager']);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);

  // Six emails; one draws a complaint, another a question: two of six raised a ticket.
  const run = await finishedRun(await segmentOf('roi', 6));
  ({ id: runId, templateId, templateVersionId: versionId } = run);
  const communications = await agent.get(`/api/communications?batchRunId=${runId}`);
  const [first, second] = communications.body.communications as { id: string; customerId: string }[];
  for (const [item, kind] of [
    [first!, 'complaint'],
    [second!, 'inquiry'],
  ] as const)
    expect(
      (
        await agent.post('/api/tickets', {
          kind,
          subject: `About the reminder (${kind})`,
          customerId: item.customerId,
          communicationId: item.id,
        })
      ).status,
    ).toBe(201);
  // A segment nobody is in: a run of nothing.
  emptyRunId = (await finishedRun(await segmentOf('nobody-roi', 0))).id;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** Wide enough for the database's clock, whichever the test clock says. */
const allYears = 'from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&bucket=month';
const roiOf = (client: TestClient, path: string, baseline?: string) =>
  client.get(`/api/insights/roi/${path}${baseline ? `?baseline=${encodeURIComponent(baseline)}` : ''}`);

describe('ROI per activity', () => {
  it("gives a run's cost and outcomes, and its saving against letters at today's rate", async () => {
    const roi = await roiOf(viewer, `runs/${runId}`, 'letter');
    expect(roi.status).toBe(200);
    expect(roi.body.activity).toEqual({
      kind: 'run',
      id: runId,
      name: expect.stringMatching(/^Batch run of Meter reading reminder v1 on \d{4}-\d{2}-\d{2}$/),
    });
    // Six emails at the default 100 thousandths of a cent: €0.006, €0.001 each.
    expect(roi.body.outcomes).toEqual({
      made: 6,
      sent: 6,
      delivered: 6,
      deliveryRate: 100,
      complaints: 1,
      complaintRate: expect.closeTo(16.666667, 5),
      contacted: 2,
      deflection: expect.closeTo(66.666667, 5),
      cost: 0.006,
      costPerCommunication: 0.001,
      channels: [{ channel: 'email', sent: 6, cost: 0.006 }],
    });
    // Six letters at 85,000 thousandths of a cent: €5.10; the emails saved €5.094 of it.
    expect(roi.body.baseline).toEqual({
      kind: 'channel',
      name: 'letter',
      costPerCommunication: 0.85,
      cost: 5.1,
      outcomes: null,
    });
    expect(roi.body.saving).toBeCloseTo(5.094, 6);
    expect(roi.body.savingPercent).toBeCloseTo(99.882353, 5);
    expect(roi.body.versions).toEqual([]);
    // Letter is the baseline when none is given; a changed rate is today's baseline.
    expect((await roiOf(viewer, `runs/${runId}`)).body.baseline.name).toBe('letter');
    expect((await manager.put('/api/channel-rates/letter', { costMillicents: 100_000 })).status).toBe(200);
    expect((await roiOf(viewer, `runs/${runId}`)).body.saving).toBeCloseTo(5.994, 6);
    // Against email itself, nothing is saved.
    const email = await roiOf(viewer, `runs/${runId}`, 'email');
    expect([email.body.saving, email.body.savingPercent]).toEqual([0, 0]);
  });

  it('answers a run of nothing with zeros, and no rate where there is nothing to divide by', async () => {
    const roi = await roiOf(viewer, `runs/${emptyRunId}`, 'fax');
    expect(roi.status).toBe(200);
    expect(roi.body.outcomes).toEqual({
      made: 0,
      sent: 0,
      delivered: 0,
      deliveryRate: null,
      complaints: 0,
      complaintRate: null,
      contacted: 0,
      deflection: null,
      cost: 0,
      costPerCommunication: null,
      channels: [],
    });
    expect(roi.body.baseline).toMatchObject({ costPerCommunication: 0.05, cost: 0 });
    expect([roi.body.saving, roi.body.savingPercent]).toEqual([0, null]);

    // As a baseline it has no price per item: no saving, rather than a saving of everything.
    const against = await roiOf(viewer, `runs/${runId}`, `run:${emptyRunId}`);
    expect(against.body.baseline).toMatchObject({ kind: 'run', costPerCommunication: null, cost: null });
    expect(against.body.baseline.outcomes.made).toBe(0);
    expect([against.body.saving, against.body.savingPercent]).toEqual([null, null]);
  });

  it('gives a template whole and per version, against another activity as the baseline', async () => {
    const roi = await roiOf(viewer, `templates/${templateId}`, `run:${runId}`);
    expect(roi.status).toBe(200);
    expect(roi.body.activity).toEqual({ kind: 'template', id: templateId, name: 'Meter reading reminder' });
    expect(roi.body.outcomes).toMatchObject({ made: 6, sent: 6, complaints: 1, cost: 0.006 });
    expect(roi.body.baseline).toMatchObject({ kind: 'run', costPerCommunication: 0.001, cost: 0.006 });
    expect(roi.body.baseline.outcomes.contacted).toBe(2);
    expect([roi.body.saving, roi.body.savingPercent]).toEqual([0, 0]);
    expect(roi.body.versions).toEqual([
      {
        id: versionId,
        number: 1,
        outcomes: roi.body.outcomes,
        saving: 0,
        savingPercent: 0,
      },
    ]);
    const byVersion = await roiOf(viewer, `templates/${templateId}`, `version:${versionId}`);
    expect(byVersion.body.baseline).toMatchObject({ kind: 'version', name: 'Meter reading reminder v1' });
  });

  it('refuses a baseline it cannot read and an activity that does not exist, naming them', async () => {
    const malformed = await roiOf(viewer, `runs/${runId}`, 'pigeon');
    expect(malformed.status).toBe(400);
    expect(malformed.body.details[0].path).toMatch(/querystring\.baseline/);
    expect((await roiOf(viewer, `runs/${runId}`, 'run:not-a-uuid')).status).toBe(400);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await roiOf(viewer, `runs/${missing}`)).body.error).toBe('roi.batch_run_not_found');
    expect((await roiOf(viewer, `templates/${missing}`)).status).toBe(404);
    expect((await roiOf(viewer, `runs/${runId}`, `version:${missing}`)).body.error).toBe(
      'roi.template_version_not_found',
    );
    expect((await t.client().get(`/api/insights/roi/runs/${runId}`)).status).toBe(401);
  });

  it('narrows any communication KPI to one run, as the ROI does', async () => {
    const contact = await viewer.get(`/api/insights/kpis/contact_rate?batchRunId=${runId}&${allYears}`);
    expect(contact.status).toBe(200);
    expect(contact.body.total).toEqual({ value: expect.closeTo(33.333333, 5), numerator: 2, denominator: 6 });
    const none = await viewer.get(`/api/insights/kpis/contact_rate?batchRunId=${emptyRunId}&${allYears}`);
    expect(none.body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});
