import type { TemplateInput } from '../templates/template-input.js';

/** The reserved template every public reply to a ticket is sent with. */
export const SERVICE_REPLY_TEMPLATE = 'service-reply';

/** The ticket's subject as a reply's subject takes it: without the "Re:" the template adds itself. */
export const replySubject = (subject: string) => subject.replace(/^(?:\s*re\s*:\s*)+/i, '');

/** What the agent wrote, signed with their name; the token in the subject brings the customer's answer back to the ticket. */
const signed = `{{ data.reply | markdown }}

{{ data.agent.name }}
{{ brand.companyName }}`;

const ticketLine = 'Your ticket #{{ data.ticket.number }}: {{ data.ticket.subject }}';

/**
 * The agent's Markdown in the brand layout, on every channel a reply may take. Published by Tidings
 * on first start (`templates.ensureSystemTemplate`); its wording may be changed like any template's.
 */
export const serviceReplyTemplate: TemplateInput = {
  key: SERVICE_REPLY_TEMPLATE,
  name: 'Service desk reply',
  purpose: 'service',
  description:
    "An agent's answer to a ticket, sent on the channel the agent chose. Reserved: the service desk sends it.",
  defaultLanguage: 'en',
  variants: {
    en: {
      email: {
        subject: 'Re: {{ data.ticket.subject }} [Ticket #{{ data.ticket.number }}]',
        format: 'markdown',
        body: signed,
      },
      sms: { text: '{{ data.reply }} ({{ brand.companyName }}, ticket #{{ data.ticket.number }})' },
      letter: { body: `# ${ticketLine}\n\nDear {{ customer.name }},\n\n${signed}` },
      portal: { subject: `Re: {{ data.ticket.subject }} [Ticket #{{ data.ticket.number }}]`, body: signed },
    },
  },
  dataSchema: {
    type: 'object',
    required: ['ticket', 'reply', 'agent'],
    properties: {
      ticket: {
        type: 'object',
        required: ['number', 'subject'],
        properties: { number: { type: 'integer' }, subject: { type: 'string' } },
      },
      reply: { type: 'string' },
      agent: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
  },
  sampleData: {
    ticket: { number: 1042, subject: 'Wrong amount on my bill' },
    reply: 'Thank you for writing. We corrected the amount; you will find the new bill in your portal.',
    agent: { name: 'Aiden Agent' },
  },
};
