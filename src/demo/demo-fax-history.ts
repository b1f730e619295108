import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';
import type { WorkflowAction } from '../templates/workflow.js';

export const demoFaxHistoryKey = 'monthly-invoice';

const monthlyInvoice = {
  key: demoFaxHistoryKey,
  name: 'Monthly invoice',
  purpose: 'service' as const,
  description: 'The monthly invoice of a business customer, on the channel they prefer.',
  defaultLanguage: 'en',
  variants: {
    en: {
      fax: {
        body: `# Invoice {{ data.month }}

{{ customer.name }}: your energy for {{ data.month }} costs {{ data.amount | money: "EUR" }}, paid by direct debit.`,
      },
      letter: {
        body: `# Your invoice for {{ data.month }}

Dear {{ customer.name }},

your energy for {{ data.month }} costs {{ data.amount | money: "EUR" }}. We collect it by direct debit.

{% fragment 'signature' %}`,
      },
      email: {
        subject: 'Your invoice for {{ data.month }}',
        format: 'markdown' as const,
        body: `Dear {{ customer.name }},

your energy for {{ data.month }} costs {{ data.amount | money: "EUR" }}. We collect it by direct debit.

{% fragment 'signature' %}`,
      },
    },
  },
  dataSchema: {
    type: 'object',
    required: ['month', 'amount'],
    properties: { month: { type: 'string' }, amount: { type: 'number' } },
  },
  sampleData: { month: 'January', amount: 412.5 },
};

const months = [
  'December',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
];

/**
 * A year of monthly invoices to the fax-first small businesses, sent through the delivery pipeline
 * (by fax, as they prefer): the channel-shift planner's volumes for the demo.
 */
export async function seedDemoFaxHistory(app: App, staff: { author: Actor; reviewer: Actor; sender: Actor }) {
  const { templates, communications, customers } = app.services;
  await templates.create(staff.author, monthlyInvoice);
  const steps: [Actor, WorkflowAction][] = [
    [staff.author, 'submit'],
    [staff.reviewer, 'approve'],
    [staff.author, 'publish'],
  ];
  for (const [actor, action] of steps) await templates.act(actor, demoFaxHistoryKey, 1, action);
  const { customers: faxFirst } = await customers.list(staff.sender, {
    tag: 'fax-first',
    archived: 'false',
    sort: 'name',
    order: 'asc',
    limit: 50,
  });
  for (const customer of faxFirst)
    for (const [index, month] of months.entries())
      await communications.send(staff.sender, {
        template: demoFaxHistoryKey,
        customerId: customer.id,
        data: { month, amount: 380 + index * 7.5 },
      });
  await app.worker.drain();
}
