import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { publishedFragment, studio, tariffNotice } from './support.js';

let t: TestApp;
let author: TestClient;
let reviewer: TestClient;
let admin: TestClient;
let serial = 0;

beforeAll(async () => {
  t = await startTestApp();
  ({ author, reviewer } = await studio(t));
  admin = await t.signedIn(['admin']);
  await publishedFragment(author, reviewer, {
    key: 'unsubscribe-footer',
    name: 'Unsubscribe footer',
    kind: 'unsubscribe_footer',
    body: 'Unsubscribe: {{ data.unsubscribeUrl }}',
  });
});
afterAll(() => t.close());

/** Creates a template and tries to submit it; returns the response of the submit. */
async function submit(template: Record<string, unknown>) {
  const key = `rule-${++serial}`;
  const created = await author.post('/api/templates', { ...template, key });
  expect(created.status, created.text).toBe(201);
  return author.post(`/api/templates/${key}/versions/1/workflow`, { action: 'submit' });
}

describe('compliance rules block a submit, naming each failure and its place', () => {
  it('a regulatory letter must contain the disclosure', async () => {
    const variants = { en: { letter: { body: 'Dear {{ customer.name }}, your tariff changes.' } } };
    const response = await submit({ ...tariffNotice, variants });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('template.compliance_failed');
    expect(response.body.details).toEqual([
      { path: 'en.letter', message: "The letter body must include the fragment 'legal-disclosure'." },
    ]);
  });

  it('marketing email must carry the unsubscribe footer', async () => {
    const variants = {
      en: { email: { subject: 'Spring offer', body: 'Dear {{ customer.name }}, look at this.', format: 'markdown' } },
    };
    const refused = await submit({ key: 'x', name: 'Offer', purpose: 'marketing', defaultLanguage: 'en', variants });
    expect(refused.status).toBe(422);
    expect(refused.body.details[0]).toEqual({
      path: 'en.email.body',
      message: expect.stringContaining('unsubscribe footer'),
    });

    variants.en.email.body += "\n\n{% fragment 'unsubscribe-footer' %}";
    const accepted = await submit({
      key: 'x',
      name: 'Offer',
      purpose: 'marketing',
      defaultLanguage: 'en',
      variants,
      sampleData: { unsubscribeUrl: 'https://example.test/u' },
    });
    expect(accepted.status, accepted.text).toBe(200);
  });

  it('a forbidden phrase is found with its line and column', async () => {
    const variants = {
      en: {
        email: {
          subject: 'Offer',
          body: "Hello {{ customer.name }},\n\nthis is risk-free!\n\n{% fragment 'unsubscribe-footer' %}",
          format: 'markdown',
        },
      },
    };
    const response = await submit({
      name: 'Offer',
      purpose: 'marketing',
      defaultLanguage: 'en',
      variants,
      sampleData: { unsubscribeUrl: 'u' },
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([
      { path: 'en.email.body:3:9', message: 'Contains the forbidden phrase "risk-free".' },
    ]);
  });

  it('an SMS may take at most the allowed segments', async () => {
    const variants = { en: { sms: { text: 'A'.repeat(500) } } };
    const response = await submit({ name: 'Long SMS', purpose: 'service', defaultLanguage: 'en', variants });
    expect(response.status).toBe(422);
    expect(response.body.details[0]).toEqual({
      path: 'en.sms.text',
      message: expect.stringMatching(/takes 4 segments; at most 3 are allowed/),
    });
  });

  it('every channel must render for the sample customers', async () => {
    const variants = { en: { portal: { subject: 'Hello', body: 'Your balance is {{ data.balance }}.' } } };
    const response = await submit({ name: 'Balance', purpose: 'service', defaultLanguage: 'en', variants });
    expect(response.status).toBe(422);
    expect(response.body.details[0].path).toMatch(/^en\.portal\.body/);
    expect(response.body.details[0].message).toMatch(/Does not render for Erika Mustermann: .*balance/);
  });

  it('admins edit the rules: a disabled rule no longer blocks', async () => {
    const rules = (await admin.get('/api/compliance-rules')).body.rules as { id: string; kind: string }[];
    const smsRule = rules.find((rule) => rule.kind === 'sms_max_segments')!;
    expect((await author.patch(`/api/compliance-rules/${smsRule.id}`, { enabled: false })).status).toBe(403);
    expect((await admin.patch(`/api/compliance-rules/${smsRule.id}`, { enabled: false })).status).toBe(200);
    const response = await submit({
      name: 'Long SMS allowed',
      purpose: 'service',
      defaultLanguage: 'en',
      variants: { en: { sms: { text: 'A'.repeat(500) } } },
    });
    expect(response.status).toBe(200);
  });

  it('the editor can ask for the check without submitting', async () => {
    await author.post('/api/templates', {
      ...tariffNotice,
      key: 'checked',
      variants: { en: { letter: { body: 'No disclosure here.' } } },
    });
    const check = await author.get('/api/templates/checked/versions/1/compliance');
    expect(check.body.failures).toEqual([
      expect.objectContaining({ path: 'en.letter', rule: 'Regulatory letters carry the legal disclosure' }),
    ]);
  });
});
