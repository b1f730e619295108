import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSendData } from '../../src/templates/send-data.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { studio, tariffNotice } from './support.js';

let t: TestApp;
let author: TestClient;
let reviewer: TestClient;
let customerId: string;

beforeAll(async () => {
  t = await startTestApp();
  ({ author, reviewer } = await studio(t));
  const agent = await t.signedIn(['agent']);
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Hannah',
    familyName: 'Arendt',
    emails: ['hannah@example.test'],
    phones: ['+4917012345678'],
    address: { lines: ['Lindenstraße 4'], postalCode: '10969', city: 'Berlin', country: 'DE' },
    language: 'en',
    timeZone: 'Europe/Berlin',
  });
  customerId = customer.body.id;
  await author.post('/api/templates', tariffNotice);
});
afterAll(() => t.close());

async function pdfText(base64: string) {
  const document = await getDocument({ data: new Uint8Array(Buffer.from(base64, 'base64')) }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return { pages: document.numPages, text: pages.join('\n') };
}

describe('preview', () => {
  it('renders every channel for a real customer, side by side', async () => {
    const response = await author.post('/api/templates/tariff-change/versions/1/preview', { customerId });
    expect(response.status, response.text).toBe(200);
    const [preview] = response.body.previews;
    expect(preview.customer).toEqual({ id: customerId, name: 'Hannah Arendt' });
    const byChannel = Object.fromEntries(
      preview.channels.map((outcome: { channel: string; preview: unknown }) => [outcome.channel, outcome.preview]),
    );
    expect(byChannel.email.subject).toBe('Your tariff changes on January 1, 2027');
    expect(byChannel.email.html).toContain('Hannah Arendt');
    expect(byChannel.email.text).toContain('€42.50');
    expect(byChannel.sms).toMatchObject({ encoding: 'GSM-7', segments: 1, text: expect.stringContaining('Hi Hannah') });
    expect(byChannel.portal.html).toContain('<strong>Green Plus</strong>');
    const letter = await pdfText(byChannel.letter.pdfBase64);
    expect(letter.pages).toBe(byChannel.letter.pages);
    expect(letter.text).toContain('Hannah Arendt');
    expect(letter.text).toContain('Lindenstraße 4');
    expect(letter.text).toContain('Green Plus');
    expect(letter.text).toContain('cancel within 14 days');
  });

  it('previews unsaved editor content, and reports a broken channel without hiding the others', async () => {
    const variants = {
      en: {
        sms: { text: 'Hello {{ customer.givenName }}' },
        portal: { subject: 'x', body: 'Total: {{ data.total }}' },
      },
    };
    const response = await author.post('/api/template-previews', { variants, defaultLanguage: 'en', customerId });
    const [preview] = response.body.previews;
    const sms = preview.channels.find((outcome: { channel: string }) => outcome.channel === 'sms');
    const portal = preview.channels.find((outcome: { channel: string }) => outcome.channel === 'portal');
    expect(sms.preview.text).toBe('Hello Hannah');
    expect(portal.error).toMatchObject({ field: 'portal.body', message: expect.stringContaining('total') });
  });

  it('uses the sample set when no customer is named', async () => {
    const response = await author.post('/api/templates/tariff-change/versions/1/preview', {});
    expect(response.body.previews[0].customer.name).toBe('Erika Mustermann');
  });
});

describe('who may preview', () => {
  it('shows a version in the workflow to those who write and review it, and a viewer only what is published', async () => {
    const viewer = await t.signedIn(['viewer']);
    await author.post('/api/templates', { ...tariffNotice, key: 'preview-rights' });
    const preview = (client: TestClient) => client.post('/api/templates/preview-rights/versions/1/preview', {});
    const move = async (client: TestClient, action: string) => {
      const moved = await client.post('/api/templates/preview-rights/versions/1/workflow', { action });
      expect(moved.status, moved.text).toBe(200);
    };

    const draft = await preview(viewer);
    expect(draft.status).toBe(403);
    expect(draft.body.error).toBe('auth.forbidden');
    const unsaved = await viewer.post('/api/template-previews', {
      variants: tariffNotice.variants,
      defaultLanguage: 'en',
    });
    expect(unsaved.status).toBe(403);
    expect((await preview(author)).status).toBe(200);

    await move(author, 'submit');
    expect((await preview(reviewer)).status).toBe(200);
    expect((await preview(viewer)).status).toBe(403);

    await move(reviewer, 'approve');
    await move(author, 'publish');
    const published = await preview(viewer);
    expect(published.status, published.text).toBe(200);
    const email = published.body.previews[0].channels.find(
      (outcome: { channel: string }) => outcome.channel === 'email',
    );
    expect(email.preview.subject).toBe('Your tariff changes on January 1, 2027');
  });
});

describe('the data a template declares', () => {
  it('refuses a send without it, naming the missing paths', () => {
    expect(() => assertSendData(tariffNotice.dataSchema, { tariff: 'Green' })).toThrow(
      'body.data.effective is required by the template; body.data.monthly is required by the template',
    );
    expect(() => assertSendData(tariffNotice.dataSchema, tariffNotice.sampleData)).not.toThrow();
  });

  it('refuses a template whose data schema is not JSON Schema', async () => {
    const response = await author.post('/api/templates', {
      ...tariffNotice,
      key: 'bad-schema',
      dataSchema: { type: 'banana' },
    });
    expect(response.status).toBe(400);
    expect(response.body.details[0].path).toBe('body.dataSchema');
  });
});
