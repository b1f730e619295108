import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

let t: TestApp;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let viewer: TestClient;
let admin: TestClient;
let teamId: string;

const today = new Date();
const isoDay = (offset: number) =>
  new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset))
    .toISOString()
    .slice(0, 10);

beforeAll(async () => {
  t = await startTestApp();
  manager = await t.signedIn(['manager']);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  admin = await t.signedIn(['admin']);
  const team = await admin.post('/api/teams', { name: 'Service desk', memberIds: [agent.user.id] });
  expect(team.status).toBe(201);
  teamId = team.body.id;
});
afterAll(() => t.close());

const goal = (fields: Record<string, unknown> = {}) => ({
  name: 'Fewer complaints',
  kpiKey: 'complaint_rate',
  target: 2,
  periodStart: isoDay(-10),
  periodEnd: isoDay(20),
  ownerUserId: manager.user.id,
  driver: 'Customers trust what we send them',
  ...fields,
});

describe('goals', () => {
  let company: { id: string };
  let team: { id: string };

  it('are set by managers, with progress over the period, and roll up to a parent', async () => {
    const created = await manager.post('/api/goals', goal());
    expect(created.status).toBe(201);
    company = created.body;
    expect(created.body).toMatchObject({
      kpiKey: 'complaint_rate',
      target: 2,
      ownerName: 'Test manager',
      parentId: null,
      children: [],
      progress: { unit: 'percent', higherIsBetter: false, kpiName: 'Complaint rate', bucket: 'day', value: null },
    });
    // From the period's first day to today: a point a day, the empty ones with nothing to divide by.
    expect(created.body.progress.points).toHaveLength(11);

    const child = await manager.post(
      '/api/goals',
      goal({
        name: 'Backlog under 50',
        kpiKey: 'backlog',
        target: 50,
        ownerUserId: null,
        ownerTeamId: teamId,
        parentId: company.id,
      }),
    );
    expect(child.status).toBe(201);
    team = child.body;
    // No tickets are open: a backlog of 0 is under its target.
    expect(child.body.progress).toMatchObject({ value: 0, fraction: 1, attained: true });

    const parent = await viewer.get(`/api/goals/${company.id}`);
    expect(parent.status).toBe(200);
    expect(parent.body.children.map((row: { id: string; ownerName: string }) => [row.id, row.ownerName])).toEqual([
      [team.id, 'Service desk'],
    ]);
  });

  it('may be read by everyone on staff but changed only by admins and managers', async () => {
    expect((await viewer.post('/api/goals', goal())).status).toBe(403);
    expect((await agent.patch(`/api/goals/${company.id}`, { target: 1 })).status).toBe(403);
    expect((await viewer.delete(`/api/goals/${company.id}`)).status).toBe(403);
    const listed = await viewer.get('/api/goals');
    expect(listed.status).toBe(200);
    expect(listed.body.goals.map((row: { name: string }) => row.name).sort()).toEqual([
      'Backlog under 50',
      'Fewer complaints',
    ]);
  });

  it('shows each person the goals owned by them or their teams', async () => {
    const mine = await agent.get('/api/goals?mine=true');
    expect(mine.body.goals.map((row: { id: string }) => row.id)).toEqual([team.id]);
    const managers = await manager.get('/api/goals?mine=true');
    expect(managers.body.goals.map((row: { id: string }) => row.id)).toEqual([company.id]);
    expect((await viewer.get('/api/goals?mine=true')).body.goals).toEqual([]);
  });

  it('are changed with their audit trail, and refuse what cannot hold, naming the field', async () => {
    const changed = await manager.patch(`/api/goals/${company.id}`, { target: 1.5 });
    expect(changed.status).toBe(200);
    expect(changed.body.target).toBe(1.5);

    const audit = await admin.get(`/api/audit?entityType=goal&entityId=${company.id}`);
    expect(audit.status).toBe(200);
    const actions = JSON.stringify(audit.body);
    expect(actions).toContain('goal.created');
    expect(actions).toContain('goal.updated');

    const wrongFilter = await manager.post('/api/goals', goal({ filters: { queueId: team.id } }));
    expect(wrongFilter.status).toBe(400);
    expect(wrongFilter.body.details).toEqual([
      { path: 'body.filters.queueId', message: 'is not a filter of complaint_rate' },
    ]);

    const backwards = await manager.post('/api/goals', goal({ periodStart: isoDay(5), periodEnd: isoDay(1) }));
    expect(backwards.body.details[0].path).toBe('body.periodEnd');

    const twoOwners = await manager.post('/api/goals', goal({ ownerTeamId: teamId }));
    expect(twoOwners.body.details[0].path).toBe('body.ownerUserId');

    const loop = await manager.patch(`/api/goals/${company.id}`, { parentId: team.id });
    expect(loop.status).toBe(400);
    expect(loop.body.details[0].path).toBe('body.parentId');

    expect((await manager.post('/api/goals', goal({ kpiKey: 'happiness' }))).status).toBe(400);
  });

  it('leave the goals under them standing on their own when removed', async () => {
    expect((await manager.delete(`/api/goals/${company.id}`)).status).toBe(204);
    expect((await viewer.get(`/api/goals/${company.id}`)).status).toBe(404);
    expect((await viewer.get(`/api/goals/${team.id}`)).body.parentId).toBeNull();
  });
});
