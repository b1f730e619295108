import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';
import type { WorkflowAction } from '../templates/workflow.js';

const disclosure = `*Tidings Demo Energy GmbH, Marienstraße 12, 10117 Berlin. You may cancel this contract in writing within 14 days of receiving this notice, without giving reasons.*`;

const tariffChange = {
  en: {
    email: {
      subject: 'Your tariff {{ data.tariff }} changes on {{ data.effective | date: "long" }}',
      format: 'markdown' as const,
      body: `Dear {{ customer.name }},

from **{{ data.effective | date: "long" }}** your tariff *{{ data.tariff }}* costs **{{ data.monthly | money: "EUR" }}** a month.

| | Before | From {{ data.effective | date: "short" }} |
|---|---|---|
| Monthly price | {{ data.previousMonthly | money: "EUR" }} | {{ data.monthly | money: "EUR" }} |

Questions? Reply to this email or visit your customer portal.

{% fragment 'signature' %}

{% fragment 'legal-disclosure' %}`,
    },
    sms: {
      text: 'Tidings: from {{ data.effective | date: "short" }} your tariff {{ data.tariff }} costs {{ data.monthly | money: "EUR" }}/month. Details in your portal.',
    },
    letter: {
      body: `# Your tariff is changing

Dear {{ customer.name }},

from {{ data.effective | date: "long" }} your tariff **{{ data.tariff }}** costs {{ data.monthly | money: "EUR" }} a month.

| | Before | New |
|---|---|---|
| Monthly price | {{ data.previousMonthly | money: "EUR" }} | {{ data.monthly | money: "EUR" }} |

{% fragment 'signature' %}

{% fragment 'legal-disclosure' %}`,
    },
    fax: {
      body: `# Tariff change

{{ customer.name }}: from {{ data.effective | date: "long" }} your tariff {{ data.tariff }} costs {{ data.monthly | money: "EUR" }} a month.

{% fragment 'legal-disclosure' %}`,
    },
    portal: {
      subject: 'Your tariff changes on {{ data.effective | date: "long" }}',
      body: `Your tariff **{{ data.tariff }}** costs {{ data.monthly | money: "EUR" }} a month from {{ data.effective | date: "long" }}.

{% fragment 'legal-disclosure' %}`,
    },
  },
};

/** Brand-approved fragments and a published tariff notice, made through the real review workflow. */
export async function seedDemoTemplates(app: App, staff: { author: Actor; reviewer: Actor }) {
  const { fragments, templates } = app.services;
  const steps: [Actor, WorkflowAction][] = [
    [staff.author, 'submit'],
    [staff.reviewer, 'approve'],
    [staff.author, 'publish'],
  ];
  for (const fragment of [
    { key: 'legal-disclosure', name: 'Legal disclosure', kind: 'disclosure' as const, body: disclosure },
    {
      key: 'signature',
      name: 'Customer service signature',
      kind: 'signature' as const,
      body: 'Kind regards,\n\nYour customer service team at {{ brand.companyName }}',
    },
    {
      key: 'unsubscribe-footer',
      name: 'Unsubscribe footer',
      kind: 'unsubscribe_footer' as const,
      body: 'You receive this because you agreed to hear about our offers. [Unsubscribe]({{ data.unsubscribeUrl }}).',
    },
  ]) {
    await fragments.create(staff.author, fragment);
    for (const [actor, action] of steps) await fragments.act(actor, fragment.key, 1, action);
  }
  await templates.create(staff.author, {
    key: 'tariff-change',
    name: 'Tariff change notice',
    purpose: 'regulatory',
    description: 'Tells a customer their monthly price changes, with the legal cancellation right.',
    defaultLanguage: 'en',
    variants: tariffChange,
    dataSchema: {
      type: 'object',
      required: ['tariff', 'effective', 'monthly', 'previousMonthly'],
      properties: {
        tariff: { type: 'string' },
        effective: { type: 'string', format: 'date' },
        monthly: { type: 'number' },
        previousMonthly: { type: 'number' },
      },
    },
    sampleData: { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 },
  });
  for (const [actor, action] of steps) await templates.act(actor, 'tariff-change', 1, action);
}
