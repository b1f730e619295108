import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/shared/actor.js';
import { publishedNotice } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

// Monday 23 November 2026, 10:00 in Berlin. The default calendar: Mon–Fri 08:00–17:00 Europe/Berlin.
const clock = testClock(new Date('2026-11-23T09:00:00Z'));
/** Moves the clock forward to an instant (tests run in order, so each starts where it says). */
const moveTo = (instant: string) => {
  const by = new Date(instant).getTime() - clock.now().getTime();
  expect(by).toBeGreaterThanOrEqual(0);
  clock.advance(by);
};

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
const policyIds: Record<string, string> = {};
let counter = 0;

beforeAll(async () => {
  t = await startTestApp({ clock, config: { sessionTtlMs: 90 * 86_400_000 } });
  admin = await t.signedIn(['admin']);
  manager = await t.signedIn(['manager']);
  agent = await t.signedIn(['agent']);
  await publishedNotice(t);
  const standard = (await agent.get('/api/sla/policies')).body.policies.find(
    (policy: { name: string }) => policy.name === 'Standard',
  );
  policyIds.standard = standard.id;
  for (const [name, fields] of Object.entries({
    urgent: { priority: 'urgent', firstResponseMinutes: 60, resolutionMinutes: 240 },
    complaints: { kind: 'complaint', firstResponseMinutes: 120, resolutionMinutes: 600 },
  })) {
    const created = await manager.post('/api/sla/policies', { name, ...fields });
    expect(created.status).toBe(201);
    policyIds[name] = created.body.id;
  }
});
afterAll(() => t.close());

async function ticket(fields: Record<string, unknown> = {}) {
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Selma',
    familyName: `Sla${++counter}`,
    emails: [`selma${counter}@sla.example`],
  });
  expect(customer.status).toBe(201);
  const created = await agent.post('/api/tickets', {
    kind: 'request',
    subject: `Meter question ${counter}`,
    customerId: customer.body.id,
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const read = async (id: string) => (await agent.get(`/api/tickets/${id}`)).body;
const listed = async (view: string) =>
  (await agent.get(`/api/tickets?view=${view}&limit=500`)).body.tickets.map((row: { id: string }) => row.id);
const breachNotices = async (client: typeof agent, ticketId: string) =>
  (await client.get('/api/notifications?limit=500')).body.notifications
    .filter(
      (notice: { kind: string; subjectId: string }) =>
        notice.kind === 'ticket.sla_breached' && notice.subjectId === ticketId,
    )
    .map((notice: { title: string }) => notice.title);

describe('calendars and policies', () => {
  it('lets managers keep calendars with split days and holidays, and refuses what cannot be counted', async () => {
    const weeklyHours = {
      monday: [
        { from: '13:00', to: '17:00' },
        { from: '08:00', to: '12:00' },
      ],
      tuesday: [{ from: '08:00', to: '17:00' }],
      wednesday: [],
      thursday: [],
      friday: [],
      saturday: [],
      sunday: [],
    };
    const created = await manager.post('/api/sla/calendars', {
      name: 'Berlin hotline',
      timeZone: 'Europe/Berlin',
      weeklyHours,
      holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Berlin hotline', isDefault: false, weeklyHours });

    expect((await agent.post('/api/sla/calendars', { name: 'Mine', timeZone: 'UTC', weeklyHours })).status).toBe(403);

    const refused = await manager.post('/api/sla/calendars', {
      name: 'Broken',
      timeZone: 'Europe/Atlantis',
      weeklyHours: {
        ...weeklyHours,
        monday: [
          { from: '08:00', to: '12:00' },
          { from: '11:00', to: '15:00' },
        ],
        tuesday: [{ from: '17:00', to: '08:00' }],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([
        { path: 'body.timeZone', message: 'is not an IANA time zone' },
        { path: 'body.weeklyHours.monday.1', message: 'overlaps another interval of the day' },
        { path: 'body.weeklyHours.tuesday.0.to', message: 'ends before it starts' },
      ]),
    );

    const nothing = await manager.post('/api/sla/calendars', {
      name: 'Never',
      timeZone: 'UTC',
      weeklyHours: { ...weeklyHours, monday: [], tuesday: [] },
    });
    expect(nothing.status).toBe(400);
    expect(nothing.body.details).toEqual([{ path: 'body.weeklyHours', message: 'has no working time on any day' }]);

    // The default calendar stays until another takes its place.
    const calendars = (await agent.get('/api/sla/calendars')).body.calendars;
    const office = calendars.find((calendar: { isDefault: boolean }) => calendar.isDefault);
    expect(office).toMatchObject({ name: 'Office hours', timeZone: 'Europe/Berlin' });
    expect((await manager.delete(`/api/sla/calendars/${office.id}`)).status).toBe(409);
  });

  it('keeps one policy per kind and priority, audits each change, and refuses agents', async () => {
    const duplicate = await manager.post('/api/sla/policies', {
      name: 'Urgent again',
      priority: 'urgent',
      firstResponseMinutes: 30,
      resolutionMinutes: 120,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toBe(
      'The policy “urgent” already covers tickets of any kind and priority urgent; change that one instead.',
    );

    const created = await manager.post('/api/sla/policies', {
      name: 'Low inquiries',
      kind: 'inquiry',
      priority: 'low',
      firstResponseMinutes: 960,
      resolutionMinutes: 4800,
    });
    expect(created.status).toBe(201);
    expect((await agent.patch(`/api/sla/policies/${created.body.id}`, { resolutionMinutes: 5400 })).status).toBe(403);
    const changed = await manager.patch(`/api/sla/policies/${created.body.id}`, { resolutionMinutes: 5400 });
    expect(changed.body).toMatchObject({ kind: 'inquiry', priority: 'low', resolutionMinutes: 5400 });
    expect((await manager.delete(`/api/sla/policies/${created.body.id}`)).status).toBe(204);

    const audit = (await admin.get(`/api/audit?entityId=${created.body.id}`)).body.events;
    expect(audit.map((event: { action: string }) => event.action)).toEqual([
      'sla_policy.delete',
      'sla_policy.update',
      'sla_policy.create',
    ]);
    expect(audit[1].summary.changes).toEqual({ resolutionMinutes: { before: 4800, after: 5400 } });
  });
});

describe('due times', () => {
  it('come from the most specific policy, counted in business hours from when the ticket was opened', async () => {
    // Monday 10:00. Standard: 8 business hours to answer, 45 (five days) to resolve.
    const request = await ticket();
    expect(request).toMatchObject({
      slaPolicyId: policyIds.standard,
      firstResponseDueAt: '2026-11-24T08:00:00.000Z', // Tuesday 09:00
      resolutionDueAt: '2026-11-30T09:00:00.000Z', // next Monday 10:00
      sla: { firstResponse: 'running', resolution: 'running' },
    });
    const complaint = await ticket({ kind: 'complaint' });
    expect(complaint).toMatchObject({
      slaPolicyId: policyIds.complaints,
      firstResponseDueAt: '2026-11-23T11:00:00.000Z', // Monday 12:00
      resolutionDueAt: '2026-11-24T10:00:00.000Z', // Tuesday 11:00
    });
    // An urgent complaint: priority outranks kind. Its first response is due within the hour.
    const urgent = await ticket({ kind: 'complaint', priority: 'urgent' });
    expect(urgent).toMatchObject({
      slaPolicyId: policyIds.urgent,
      firstResponseDueAt: '2026-11-23T10:00:00.000Z',
      resolutionDueAt: '2026-11-23T13:00:00.000Z',
      sla: { firstResponse: 'due_soon', resolution: 'running' },
    });
    expect(await listed('breaching')).toContain(urgent.id);
    expect(await listed('breaching')).not.toContain(request.id);
    expect((await agent.get('/api/tickets/counts')).body.breaching).toBeGreaterThanOrEqual(1);
  });

  it('follow a change of priority, counted from the opening still', async () => {
    moveTo('2026-11-23T12:00:00Z'); // Monday 13:00
    const created = await ticket();
    const raised = await agent.patch(`/api/tickets/${created.id}`, { priority: 'urgent' });
    expect(raised.body).toMatchObject({
      slaPolicyId: policyIds.urgent,
      firstResponseDueAt: '2026-11-23T13:00:00.000Z', // Monday 14:00
      resolutionDueAt: '2026-11-23T16:00:00.000Z', // Monday 17:00
    });
  });
});

describe('the clock while the customer is asked', () => {
  it('stands still pending the customer and moves the resolution due time on by the business time it stood', async () => {
    moveTo('2026-11-25T09:00:00Z'); // Wednesday 10:00
    const created = await ticket({ kind: 'complaint' });
    expect(created.resolutionDueAt).toBe('2026-11-26T10:00:00.000Z'); // Thursday 11:00

    moveTo('2026-11-25T10:00:00Z'); // Wednesday 11:00
    const waiting = await agent.post(`/api/tickets/${created.id}/actions`, { action: 'wait_for_customer' });
    expect(waiting.body).toMatchObject({
      status: 'pending_customer',
      slaPausedAt: '2026-11-25T10:00:00.000Z',
      sla: { resolution: 'paused' },
    });

    // Friday 10:00: the resolution due time passed while the clock stood still, so it is no breach.
    moveTo('2026-11-27T09:00:00Z');
    await t.app.worker.drain();
    const meanwhile = await read(created.id);
    expect(meanwhile).toMatchObject({ resolutionBreachedAt: null, sla: { resolution: 'paused' } });
    // The first response is still owed (asking is not answering): it is breached.
    expect(meanwhile.firstResponseBreachedAt).toBe('2026-11-27T09:00:00.000Z');

    await agent.post(`/api/tickets/${created.id}/customer-messages`, { body: 'Here is the photo of the meter.' });
    // Stood still Wednesday 11:00–17:00, Thursday, Friday 08:00–10:00: 6 + 9 + 2 business hours.
    expect(await read(created.id)).toMatchObject({
      status: 'open',
      slaPausedAt: null,
      slaPausedMinutes: 1020,
      resolutionDueAt: '2026-11-30T09:00:00.000Z', // Thursday 11:00 + 17 h = Monday 10:00
      resolutionBreachedAt: null,
      sla: { firstResponse: 'breached', resolution: 'running' },
    });
  });
});

describe('the SLA timer', () => {
  it('marks a breach once and tells the assignee and the queue’s lead once', async () => {
    moveTo('2026-12-01T09:00:00Z'); // Tuesday 10:00
    const queue = await manager.post('/api/ticket-queues', { name: 'Hotline', leadUserId: manager.user.id });
    const created = await ticket({ priority: 'urgent', queueId: queue.body.id, assigneeId: agent.user.id });
    expect(created.firstResponseDueAt).toBe('2026-12-01T10:00:00.000Z');
    // Due tomorrow: the timer keeps looking while a target like this one is still to come.
    await ticket();

    moveTo('2026-12-01T10:00:30Z');
    await t.app.worker.drain();
    expect(await read(created.id)).toMatchObject({
      firstResponseBreachedAt: '2026-12-01T10:00:30.000Z',
      resolutionBreachedAt: null,
      sla: { firstResponse: 'breached', resolution: 'running' },
    });
    const title = `Request #${created.number}: first response overdue`;
    expect(await breachNotices(agent, created.id)).toEqual([title]);
    expect(await breachNotices(manager, created.id)).toEqual([title]);
    expect(await listed('breached')).toContain(created.id);

    // Later minutes look again but do not tell again.
    moveTo('2026-12-01T10:05:00Z');
    await t.app.worker.drain();
    expect(await breachNotices(agent, created.id)).toEqual([title]);

    moveTo('2026-12-01T13:00:10Z'); // past the resolution due time, Tuesday 14:00
    await t.app.worker.drain();
    const resolution = `Request #${created.number}: resolution overdue`;
    expect(await breachNotices(agent, created.id)).toEqual([resolution, title]);
    expect(await breachNotices(manager, created.id)).toEqual([resolution, title]);
    const audit = (await admin.get(`/api/audit?entityId=${created.id}&action=ticket.sla_breached`)).body.events;
    expect(audit.map((event: { summary: { target: string } }) => event.summary.target)).toEqual([
      'resolution',
      'first_response',
    ]);

    // One check is waiting for the next minute, however many tickets asked for it.
    const checks = (await admin.get('/api/jobs?kind=tickets.sla_check&status=queued')).body.jobs;
    expect(checks.map((job: { runAt: string }) => job.runAt)).toEqual(['2026-12-01T13:01:00.000Z']);
  });

  it('counts the first public reply as the first response, and lowering the priority lifts a breach', async () => {
    moveTo('2026-12-02T09:00:00Z'); // Wednesday 10:00
    const answered = await ticket({ priority: 'urgent' });
    const sent = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: answered.customerId,
      data: { due: 'May' },
    });
    expect(sent.status).toBe(201);
    const actor: Actor = {
      kind: 'user',
      userId: agent.user.id,
      email: agent.user.email,
      roles: ['agent'],
      via: 'session',
    };
    moveTo('2026-12-02T09:30:00Z');
    await t.app.db.transaction((tx) =>
      t.app.services.tickets.recordReply(tx, actor, answered.id, {
        body: 'We are on it.',
        communicationId: sent.body.id,
      }),
    );
    const unanswered = await ticket({ priority: 'urgent' }); // first response due Wednesday 11:30

    moveTo('2026-12-02T10:45:00Z');
    await t.app.worker.drain();
    expect(await read(answered.id)).toMatchObject({
      firstRespondedAt: '2026-12-02T09:30:00.000Z',
      firstResponseBreachedAt: null,
      sla: { firstResponse: 'met' },
    });
    expect(await read(unanswered.id)).toMatchObject({
      firstResponseBreachedAt: '2026-12-02T10:45:00.000Z',
      sla: { firstResponse: 'breached' },
    });
    const lowered = await agent.patch(`/api/tickets/${unanswered.id}`, { priority: 'normal' });
    expect(lowered.body).toMatchObject({
      slaPolicyId: policyIds.standard,
      firstResponseDueAt: '2026-12-03T08:30:00.000Z', // Thursday 09:30
      firstResponseBreachedAt: null,
      sla: { firstResponse: 'running' },
    });
  });
});
