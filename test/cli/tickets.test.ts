import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomerBody } from '../../src/customers/customers.schemas.js';
import { systemActor } from '../../src/shared/actor.js';
import { cliDataFolder } from '../support/cli.js';

const { tidings, migrate, withApp } = cliDataFolder('tickets');

let number: number;

beforeAll(async () => {
  await migrate();
  await withApp(async (app) => {
    const actor = systemActor('test');
    const customer = await app.services.customers.create(
      actor,
      createCustomerBody.parse({
        kind: 'person',
        givenName: 'Carla',
        familyName: 'Caller',
        emails: ['carla@cli.example'],
      }),
    );
    const ticket = await app.services.tickets.create(actor, {
      kind: 'complaint',
      subject: 'The invoice doubled',
      customerId: customer.id,
      source: 'phone',
      priority: 'high',
      tags: [],
    });
    number = ticket.number;
  });
}, 90_000);

describe('tidings tickets list', () => {
  it('lists tickets with the open counts, filtered as the API filters', async () => {
    const listed = await tidings('tickets', 'list', '--status', 'new', '--kind', 'complaint');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Open: all 1, unassigned 1');
    expect(listed.stdout).toMatch(
      new RegExp(`#${number}\\s+complaint\\s+new\\s+high .* Carla Caller: The invoice doubled`),
    );

    const none = await tidings('tickets', 'list', '--status', 'closed');
    expect(none.stdout).toContain('No tickets match.');
  }, 90_000);

  it('refuses an unknown status in words, before opening the database', async () => {
    const refused = await tidings('tickets', 'list', '--status', 'new,lost');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--status');
    expect(refused.stderr).toContain('unknown status lost');
  }, 60_000);
});
