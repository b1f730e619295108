import type { TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

/** A published fragment, as an author and a reviewer would make it. */
export async function publishedFragment(
  author: TestClient,
  reviewer: TestClient,
  fragment: { key: string; name: string; kind: string; body: string },
) {
  const created = await author.post('/api/fragments', fragment);
  if (created.status !== 201) throw new Error(`fragment ${fragment.key}: ${created.text}`);
  for (const [client, action] of [
    [author, 'submit'],
    [reviewer, 'approve'],
    [author, 'publish'],
  ] as const) {
    const moved = await client.post(`/api/fragments/${fragment.key}/versions/1/workflow`, { action });
    if (moved.status !== 200) throw new Error(`fragment ${fragment.key} ${action}: ${moved.text}`);
  }
}

export const tariffNotice = {
  key: 'tariff-change',
  name: 'Tariff change notice',
  purpose: 'regulatory',
  defaultLanguage: 'en',
  dataSchema: {
    type: 'object',
    required: ['tariff', 'effective', 'monthly'],
    properties: { tariff: { type: 'string' }, effective: { type: 'string' }, monthly: { type: 'number' } },
  },
  sampleData: { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5 },
  variants: {
    en: {
      email: {
        subject: 'Your tariff changes on {{ data.effective | date: "long" }}',
        body: 'Dear {{ customer.name }},\n\nyour tariff **{{ data.tariff }}** costs {{ data.monthly | money: "EUR" }} a month from {{ data.effective | date: "long" }}.\n\n{% fragment \'legal-disclosure\' %}',
        format: 'markdown',
      },
      sms: {
        text: 'Hi {{ customer.givenName }}, your tariff {{ data.tariff }} changes on {{ data.effective | date: "short" }}.',
      },
      letter: {
        body: '# Your new tariff\n\nDear {{ customer.name }},\n\n| Item | Price |\n|---|---|\n| {{ data.tariff }} | {{ data.monthly | money: "EUR" }} |\n\n{% fragment \'legal-disclosure\' %}',
      },
      portal: {
        subject: 'Tariff change',
        body: "Your tariff **{{ data.tariff }}** changes.\n\n{% fragment 'legal-disclosure' %}",
      },
    },
  },
};

export async function studio(t: TestApp) {
  const author = await t.signedIn(['author']);
  const reviewer = await t.signedIn(['reviewer']);
  await publishedFragment(author, reviewer, {
    key: 'legal-disclosure',
    name: 'Legal disclosure',
    kind: 'disclosure',
    body: 'You may cancel within 14 days. Tidings Demo Energy GmbH.',
  });
  return { author, reviewer };
}
