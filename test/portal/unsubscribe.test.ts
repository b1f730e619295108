import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { publishedFragment } from '../templates/support.js';

let t: TestApp;
let admin: TestClient;
let counter = 0;

const publicUrl = 'https://tidings.example';

beforeAll(async () => {
  t = await startTestApp({ config: { publicUrl } });
  admin = await t.signedIn(['admin']);
  const author = await t.signedIn(['author']);
  const reviewer = await t.signedIn(['reviewer']);
  await publishedFragment(author, reviewer, {
    key: 'unsubscribe-footer',
    name: 'Unsubscribe footer',
    kind: 'unsubscribe_footer',
    body: 'You agreed to hear about our offers. [Unsubscribe]({{ data.unsubscribeUrl }})',
  });
  for (const template of [
    { key: 'winter-offer', purpose: 'marketing', body: "Warm offers.\n\n{% fragment 'unsubscribe-footer' %}" },
    { key: 'meter-due', purpose: 'service', body: 'Please send your meter reading.' },
  ]) {
    const created = await author.post('/api/templates', {
      key: template.key,
      name: template.key,
      purpose: template.purpose,
      defaultLanguage: 'en',
      variants: { en: { email: { subject: template.key, format: 'markdown', body: template.body } } },
      // Delivery supplies the link; previews and compliance checks render the sample.
      sampleData: { unsubscribeUrl: 'https://tidings.example/portal/unsubscribe#sample' },
    });
    expect(created.status).toBe(201);
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const) {
      const moved = await client.post(`/api/templates/${template.key}/versions/1/workflow`, { action });
      expect(moved.status, `${template.key} ${action}: ${moved.text}`).toBe(200);
    }
  }
});
afterAll(() => t.close());

/** A customer who agreed to marketing by email, and the email of this template sent to them. */
async function sentTo(template: string): Promise<{ customerId: string; mail: ParsedMail; raw: string }> {
  const n = ++counter;
  const customer = await admin.post('/api/customers', {
    kind: 'person',
    givenName: 'Ulla',
    familyName: `Unsub${n}`,
    emails: [`ulla${n}@unsub.example`],
    consents: [{ channel: 'email', purpose: 'marketing', granted: true, source: 'form' }],
  });
  expect(customer.status).toBe(201);
  const sent = await admin.post('/api/communications', { template, customerId: customer.body.id });
  expect(sent.status).toBe(201);
  await t.app.worker.drain();
  const copy = await admin.get(`/api/communications/${sent.body.id}/copy`);
  expect(copy.status).toBe(200);
  const raw = copy.text;
  return { customerId: customer.body.id, mail: await simpleParser(raw), raw };
}

/** The token of the one-click link in the List-Unsubscribe header, as sent (a long header is folded). */
const tokenOf = (raw: string) => {
  const unfolded = raw.replace(/\r\n[ \t]+/g, ' ');
  const token = new RegExp(`^List-Unsubscribe: +<${publicUrl}/api/unsubscribe/([\\w-]+)>\r$`, 'm').exec(unfolded)?.[1];
  if (!token) throw new Error(`no one-click link in List-Unsubscribe: ${unfolded.slice(0, 600)}`);
  return token;
};

const marketingConsent = async (customerId: string) =>
  (await admin.get(`/api/customers/${customerId}`)).body.consents.find(
    (consent: { channel: string; purpose: string }) => consent.channel === 'email' && consent.purpose === 'marketing',
  );

const ledger = async (customerId: string) =>
  (await admin.get(`/api/customers/${customerId}/consents/history`)).body.events as {
    granted: boolean;
    source: string;
    note: string | null;
  }[];

describe('one-click unsubscribe', () => {
  it('puts List-Unsubscribe, List-Unsubscribe-Post and the footer link on every marketing email', async () => {
    const { mail, raw } = await sentTo('winter-offer');
    const token = tokenOf(raw);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.html).toContain(`href="${publicUrl}/portal/unsubscribe#${token}"`);
  });

  it('leaves a service email without an unsubscribe header', async () => {
    const { raw } = await sentTo('meter-due');
    expect(raw).not.toMatch(/^List-Unsubscribe/im);
  });

  it('shows on GET what the link withdraws and changes nothing', async () => {
    const { customerId, raw } = await sentTo('winter-offer');
    const shown = await t.client().get(`/api/unsubscribe/${tokenOf(raw)}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ channel: 'email', purpose: 'marketing', customerName: `Ulla Unsub${counter}` });
    expect(await marketingConsent(customerId)).toMatchObject({ granted: true });
    expect(await ledger(customerId)).toHaveLength(1);
  });

  it('withdraws marketing consent on an RFC 8058 POST, once however often it comes', async () => {
    const { customerId, raw } = await sentTo('winter-offer');
    const oneClick = () =>
      t.client().request('POST', `/api/unsubscribe/${tokenOf(raw)}`, {
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const first = await oneClick();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ channel: 'email', purpose: 'marketing' });
    expect(await marketingConsent(customerId)).toMatchObject({ granted: false, source: 'portal' });
    expect((await oneClick()).status).toBe(200);
    const events = await ledger(customerId);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ granted: false, source: 'portal', note: 'one-click unsubscribe' });
  });

  it('withdraws from the web page’s POST too, with a JSON body or none', async () => {
    for (const body of [{}, undefined]) {
      const { customerId, raw } = await sentTo('winter-offer');
      const answer = await t.client().post(`/api/unsubscribe/${tokenOf(raw)}`, body);
      expect(answer.status).toBe(200);
      expect(await marketingConsent(customerId)).toMatchObject({ granted: false });
    }
  });

  it('refuses a link that was altered', async () => {
    const { customerId, raw } = await sentTo('winter-offer');
    const token = tokenOf(raw);
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const answer of [
      await t.client().get(`/api/unsubscribe/${altered}`),
      await t.client().post(`/api/unsubscribe/${altered}`, {}),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error).toBe('unsubscribe.link_invalid');
    }
    expect(await marketingConsent(customerId)).toMatchObject({ granted: true });
  });
});
