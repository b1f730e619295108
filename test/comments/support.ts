import type { Role } from '../../src/auth/roles.js';
import { TEST_PASSWORD, type TestApp } from '../support/app.js';
import { TestClient } from '../support/client.js';

/** A client signed in as a new staff member with this email, so that tests can @mention them by name. */
export async function colleague(t: TestApp, roles: Role[], email: string) {
  const user = await t.createUser(roles, email);
  return Object.assign(await new TestClient(t.server).signIn(email, TEST_PASSWORD), { user });
}

export async function newCustomer(client: TestClient, familyName = 'Lovelace') {
  const response = await client.post('/api/customers', {
    kind: 'person',
    givenName: 'Ada',
    familyName,
    timeZone: 'UTC',
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.id as string;
}
