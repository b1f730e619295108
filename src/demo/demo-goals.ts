import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A company goal on the complaint rate and the team goals that roll up to it, over the quarter around
 * today, so the board shows progress on the demo correspondence and tickets.
 */
export async function seedDemoGoals(app: App, manager: Actor) {
  const teams = new Map((await app.services.teams.list()).map((team) => [team.name, team.id]));
  const now = app.clock.now();
  const periodStart = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const periodEnd = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 0)));
  const period = { periodStart, periodEnd };
  const company = await app.services.goals.create(manager, {
    name: 'Complaint rate under 2 %',
    kpiKey: 'complaint_rate',
    filters: {},
    target: 2,
    ...period,
    ownerUserId: manager.kind === 'user' ? manager.userId : null,
    driver: 'Customers trust what we send them: fewer letters that make them write back.',
  });
  await app.services.goals.create(manager, {
    name: 'Backlog under 20 open tickets',
    kpiKey: 'backlog',
    filters: {},
    target: 20,
    ...period,
    ownerTeamId: teams.get('Customer service') ?? null,
    driver: 'Every complaint answered while it is fresh.',
    parentId: company.id,
  });
  await app.services.goals.create(manager, {
    name: 'Delivery rate of 98 %',
    kpiKey: 'delivery_rate',
    filters: {},
    target: 98,
    ...period,
    ownerTeamId: teams.get('Correspondence') ?? null,
    driver: 'A letter that does not arrive is a complaint waiting to happen.',
    parentId: company.id,
  });
}
