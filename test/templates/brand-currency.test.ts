import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

let t: TestApp;
let manager: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  manager = await t.signedIn(['manager']);
});
afterAll(() => t.close());

describe('the currency costs are shown in', () => {
  it('is EUR until the brand kit sets another ISO 4217 code, and stays when a change leaves it out', async () => {
    const { currency, logoSha256: _logo, updatedAt: _updated, ...kit } = (await manager.get('/api/brand')).body;
    expect(currency).toBe('EUR');

    for (const wrong of ['eur', 'EURO', 'XYZ']) {
      const refused = await manager.put('/api/brand', { ...kit, currency: wrong });
      expect(refused.status).toBe(400);
      expect(refused.body.details[0].path).toBe('body.currency');
    }
    expect((await manager.put('/api/brand', { ...kit, currency: 'CHF' })).body.currency).toBe('CHF');
    expect((await manager.put('/api/brand', { ...kit, companyName: 'Tidings Schweiz AG' })).body).toMatchObject({
      companyName: 'Tidings Schweiz AG',
      currency: 'CHF',
    });
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.get('/api/brand')).body.currency).toBe('CHF');
  });
});
