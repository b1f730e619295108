import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { solidPng } from '../rendering/fixtures.js';

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

describe('the logo', () => {
  it('is uploaded apart from the settings: each keeps the other, and each change is audited', async () => {
    const admin = await t.signedIn(['admin']);
    const logo = solidPng(4, 2, [29, 78, 216]);
    const uploaded = await manager.request('PUT', '/api/brand/logo', {
      payload: logo,
      headers: { 'content-type': 'image/png' },
    });
    expect(uploaded.status, uploaded.text).toBe(200);
    const sha256 = createHash('sha256').update(logo).digest('hex');
    const { logoSha256, updatedAt: _updated, ...kit } = uploaded.body;
    expect(logoSha256).toBe(sha256);
    expect((await manager.get('/api/brand')).body).toMatchObject(kit);

    const renamed = await manager.put('/api/brand', {
      ...Object.fromEntries(Object.entries(kit).filter(([key]) => key !== 'logoMimeType')),
      companyName: 'Tidings Logo GmbH',
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ companyName: 'Tidings Logo GmbH', logoSha256: sha256 });
    expect((await manager.get('/api/brand/logo')).bytes.equals(logo)).toBe(true);

    const trail = (await admin.get('/api/audit?entityType=brand_kit')).body.events;
    expect(trail.slice(0, 2).map((entry: { action: string }) => entry.action)).toEqual([
      'brand.updated',
      'brand.logo_changed',
    ]);
    expect(trail[1].summary).toEqual({ sha256, size: logo.length });
  });
});
