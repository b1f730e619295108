import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';
import type { WorkflowAction } from '../templates/workflow.js';
import { DEMO_ORGANIZATION_EMAIL, DEMO_PORTAL_EMAIL } from './demo-customers.js';

/** One template per channel, so that routing has exactly that channel to offer. */
const correspondence = [
  {
    key: 'portal-welcome',
    name: 'Welcome to the customer portal',
    purpose: 'service' as const,
    description: 'Tells a customer what they find in their portal.',
    variants: {
      en: {
        portal: {
          subject: 'Welcome to your customer portal',
          body: `Dear {{ customer.name }},

everything we send you is kept here: letters, emails and text messages, exactly as sent.

- Open any of them to read it again or download it.
- Something wrong with one? Choose **Complain about this** and we see which letter you mean.
- Decide how we reach you, and what you want to hear from us, under **Settings**.

{% fragment 'signature' %}`,
        },
      },
    },
    data: {},
  },
  {
    key: 'annual-statement',
    name: 'Annual energy statement',
    purpose: 'service' as const,
    description: 'The yearly statement of consumption and payments, by post.',
    variants: {
      en: {
        letter: {
          body: `# Your energy statement for {{ data.year }}

Dear {{ customer.name }},

here is what you used and paid in {{ data.year }}.

| | |
|---|---|
| Electricity used | {{ data.consumptionKwh | number }} kWh |
| Cost for the year | {{ data.cost | money: "EUR" }} |
| Paid in instalments | {{ data.paid | money: "EUR" }} |
| Credit to your account | {{ data.paid | minus: data.cost | money: "EUR" }} |

The credit is paid back to your account within two weeks.

{% fragment 'signature' %}`,
        },
      },
    },
    dataSchema: {
      type: 'object',
      required: ['year', 'consumptionKwh', 'cost', 'paid'],
      properties: {
        year: { type: 'integer' },
        consumptionKwh: { type: 'number' },
        cost: { type: 'number' },
        paid: { type: 'number' },
      },
    },
    data: { year: 2026, consumptionKwh: 2140, cost: 812.4, paid: 840 },
  },
  {
    key: 'meter-reading-text',
    name: 'Meter reading text message',
    purpose: 'service' as const,
    description: 'Asks for the meter reading by text message.',
    variants: {
      en: {
        sms: {
          text: '{{ brand.companyName }}: please send us your meter reading by {{ data.due | date: "long" }}. It takes a minute in your customer portal.',
        },
      },
    },
    dataSchema: { type: 'object', required: ['due'], properties: { due: { type: 'string', format: 'date' } } },
    data: { due: '2027-01-15' },
  },
  {
    key: 'energy-saving-tips',
    name: 'Energy saving tips',
    purpose: 'marketing' as const,
    description: 'The winter newsletter, to customers who agreed to hear from us.',
    variants: {
      en: {
        email: {
          subject: 'Five ways to use less energy this winter',
          format: 'markdown' as const,
          body: `Dear {{ customer.name }},

small habits add up over a winter:

1. Turn the heating down by one degree.
2. Air rooms for five minutes with the windows wide open, not tilted for hours.
3. Switch devices off at the plug overnight.
4. Wash at 30 °C.
5. Put a lid on the pan.

{% fragment 'signature' %}

{% fragment 'unsubscribe-footer' %}`,
        },
      },
    },
    // Delivery puts the customer's own unsubscribe link into a marketing message's data.
    sampleData: { unsubscribeUrl: 'https://tidings.example/portal/unsubscribe' },
    data: {},
  },
];

type Key = (typeof correspondence)[number]['key'];

/** Who gets what, by the customer's email: the portal's demo person one item on every channel, the demo organization two. */
const sends: [email: string, key: Key][] = [
  [DEMO_PORTAL_EMAIL, 'annual-statement'],
  [DEMO_PORTAL_EMAIL, 'meter-reading-text'],
  [DEMO_PORTAL_EMAIL, 'energy-saving-tips'],
  [DEMO_PORTAL_EMAIL, 'portal-welcome'],
  [DEMO_ORGANIZATION_EMAIL, 'annual-statement'],
  [DEMO_ORGANIZATION_EMAIL, 'portal-welcome'],
];

export const demoCorrespondenceKey = correspondence[0]!.key;

/**
 * Publishes the templates through the review workflow and sends each through the delivery pipeline,
 * so the portal has something to show on every channel. They are delivered here and the letters
 * printed, as for a customer of some standing: the print queue starts empty.
 */
export async function seedDemoCorrespondence(app: App, staff: { author: Actor; reviewer: Actor; sender: Actor }) {
  const { templates, communications, customers, printBatches } = app.services;
  const steps: [Actor, WorkflowAction][] = [
    [staff.author, 'submit'],
    [staff.reviewer, 'approve'],
    [staff.author, 'publish'],
  ];
  // Previews and the compliance check use the data each is sent with, unless the template brings its own.
  for (const { data, ...template } of correspondence) {
    await templates.create(staff.author, { sampleData: data, ...template, defaultLanguage: 'en' });
    for (const [actor, action] of steps) await templates.act(actor, template.key, 1, action);
  }
  const customerIds = new Map<string, string>();
  for (const [email, key] of sends) {
    if (!customerIds.has(email)) {
      const found = await customers.list(staff.sender, {
        q: email,
        archived: 'false',
        sort: 'name',
        order: 'asc',
        limit: 1,
      });
      const [customer] = found.customers;
      if (!customer) throw new Error(`The demo customer ${email} is missing.`);
      customerIds.set(email, customer.id);
    }
    const { data } = correspondence.find((template) => template.key === key)!;
    await communications.send(staff.sender, { template: key, customerId: customerIds.get(email)!, data });
  }
  await app.worker.drain();
  await printBatches.create(staff.sender);
}
