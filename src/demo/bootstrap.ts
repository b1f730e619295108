import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import type { Role } from '../auth/roles.js';
import { systemActor, type Actor } from '../shared/actor.js';
import { demoCorrespondenceKey, seedDemoCorrespondence } from './demo-correspondence.js';
import { DEMO_PORTAL_EMAIL, seedDemoCustomers } from './demo-customers.js';
import { demoFaxHistoryKey, seedDemoFaxHistory } from './demo-fax-history.js';
import { seedDemoGoals } from './demo-goals.js';
import { seedDemoHelpCentre } from './demo-help-centre.js';
import { seedDemoTemplates } from './demo-templates.js';

export const DEMO_PASSWORD = 'tidings-demo';

const demoStaff: { email: string; name: string; roles: Role[] }[] = [
  { email: 'admin@tidings.local', name: 'Ada Admin', roles: ['admin'] },
  { email: 'manager@tidings.local', name: 'Mara Manager', roles: ['manager'] },
  { email: 'author@tidings.local', name: 'Arthur Author', roles: ['author'] },
  { email: 'reviewer@tidings.local', name: 'Rita Reviewer', roles: ['reviewer'] },
  { email: 'agent@tidings.local', name: 'Aiden Agent', roles: ['agent'] },
  { email: 'records@tidings.local', name: 'Rosa Records', roles: ['records_manager'] },
  { email: 'viewer@tidings.local', name: 'Victor Viewer', roles: ['viewer'] },
];

const demoTeams = [
  {
    name: 'Correspondence',
    description: 'Writes and reviews what we send to customers',
    emails: ['author@tidings.local', 'reviewer@tidings.local'],
  },
  {
    name: 'Customer service',
    description: 'Answers requests and complaints',
    emails: ['agent@tidings.local', 'manager@tidings.local'],
  },
  { name: 'Records', description: 'Retention, legal holds and e-discovery', emails: ['records@tidings.local'] },
];

/** A login to print; `password` is null when the operator chose it (TIDINGS_ADMIN_PASSWORD): never echo theirs. */
export type Login = { email: string; password: string | null; roles: Role[] };

/**
 * Loads the demo staff, teams, customers, templates, the correspondence the portal shows and the help
 * centre; returns the logins. Each part only on a database without it.
 */
export async function seedDemo(app: App): Promise<Login[]> {
  const actor = systemActor('demo seed');
  const existing = new Map((await app.services.users.list(actor)).map((user) => [user.email, user]));
  for (const staff of demoStaff) {
    if (!existing.has(staff.email))
      existing.set(staff.email, await app.services.users.create(actor, { ...staff, password: DEMO_PASSWORD }));
  }
  const teamNames = new Set((await app.services.teams.list()).map((team) => team.name));
  for (const team of demoTeams) {
    if (teamNames.has(team.name)) continue;
    await app.services.teams.create(actor, {
      name: team.name,
      description: team.description,
      memberIds: team.emails.map((email) => existing.get(email)!.id),
    });
  }
  const as = (email: string): Actor => {
    const user = existing.get(email)!;
    return { kind: 'user', userId: user.id, email: user.email, roles: user.roles, via: 'cli' };
  };
  // The demo's own customers, not an empty book: the correspondence below is sent to them, and a
  // database filled by `tidings seed --customers` first has customers but not these.
  const demoCustomers = await app.services.customers.list(actor, {
    q: DEMO_PORTAL_EMAIL,
    archived: 'all',
    sort: 'name',
    order: 'asc',
    limit: 1,
  });
  if (demoCustomers.customers.length === 0)
    await seedDemoCustomers(app, as('agent@tidings.local'), as('manager@tidings.local'));
  // Tidings publishes its own system templates (the service reply) at start; the demo's are the others.
  const templateKeys = new Set((await app.services.templates.list(actor, {})).map((template) => template.key));
  const authors = { author: as('author@tidings.local'), reviewer: as('reviewer@tidings.local') };
  if (!templateKeys.has('tariff-change')) await seedDemoTemplates(app, authors);
  if (!templateKeys.has(demoCorrespondenceKey))
    await seedDemoCorrespondence(app, { ...authors, sender: as('manager@tidings.local') });
  if (!templateKeys.has(demoFaxHistoryKey))
    await seedDemoFaxHistory(app, { ...authors, sender: as('manager@tidings.local') });
  if ((await app.services.knowledgeCategories.list(actor)).length === 0)
    await seedDemoHelpCentre(app, as('manager@tidings.local'));
  if ((await app.services.goals.list(actor)).goals.length === 0) await seedDemoGoals(app, as('manager@tidings.local'));
  return demoStaff.map((staff) => ({ email: staff.email, password: DEMO_PASSWORD, roles: staff.roles }));
}

/**
 * The first start on an empty database creates the admin (and the demo data when asked for).
 * Returns the logins to print, or nothing when the database already had users.
 */
export async function bootstrap(app: App): Promise<Login[]> {
  if (!(await app.services.users.isEmpty())) return [];
  if (app.config.demo) return seedDemo(app);
  const generated = app.config.adminPassword === undefined ? randomBytes(12).toString('base64url') : null;
  await app.services.users.create(systemActor('first start'), {
    email: app.config.adminEmail,
    name: 'Administrator',
    password: app.config.adminPassword ?? generated!,
    roles: ['admin'],
  });
  return [{ email: app.config.adminEmail, password: generated, roles: ['admin'] }];
}
