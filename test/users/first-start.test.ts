import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/demo/bootstrap.js';
import { startTestApp, type TestApp } from '../support/app.js';

const OPERATOR_PASSWORD = 'chosen-by-the-operator';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ config: { adminEmail: 'ops@example.test', adminPassword: OPERATOR_PASSWORD } });
});
afterAll(() => t.close());

describe('the first start with an operator-supplied admin password', () => {
  it('creates the admin with that password and never hands it back to be printed', async () => {
    const logins = await bootstrap(t.app);
    expect(logins).toEqual([{ email: 'ops@example.test', password: null, roles: ['admin'] }]);
    expect(JSON.stringify(logins)).not.toContain(OPERATOR_PASSWORD);
    expect(
      (await t.client().post('/api/auth/login', { email: 'ops@example.test', password: OPERATOR_PASSWORD })).status,
    ).toBe(200);
  });
});
