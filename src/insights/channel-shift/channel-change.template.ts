import type { TemplateInput } from '../../templates/template-input.js';

/** The reserved template a channel shift asks its customers to move with. */
export const CHANNEL_CHANGE_TEMPLATE = 'channel-change-request';

const ask = `{{ data.message }}

Choose how we reach you in your customer portal, under Settings: {{ data.preferencesUrl }}

Nothing changes until you choose. We keep writing to you as you prefer today.`;

/**
 * A request to a customer to move to another channel, sent on the channel each is reached by today
 * (a fax to a fax customer); it links to the portal's preferences, where the consent is given.
 * Published by Tidings on first start; its wording may be changed like any template's.
 */
export const channelChangeTemplate: TemplateInput = {
  key: CHANNEL_CHANGE_TEMPLATE,
  name: 'Channel change request',
  purpose: 'service',
  description:
    'Asks customers reached by letter or fax to receive their correspondence by email or in the portal instead. Sent by the channel-shift planner.',
  defaultLanguage: 'en',
  variants: {
    en: {
      email: {
        subject: 'Would you like to hear from {{ brand.companyName }} by {{ data.newChannel }}?',
        format: 'markdown',
        body: `Dear {{ customer.name }},

${ask}

{{ brand.companyName }}`,
      },
      letter: {
        body: `# Would you like to hear from us by {{ data.newChannel }}?

Dear {{ customer.name }},

${ask}

{{ brand.companyName }}`,
      },
      fax: {
        body: `# Hear from us by {{ data.newChannel }}?

{{ customer.name }}:

${ask}`,
      },
      sms: {
        text: '{{ brand.companyName }}: hear from us by {{ data.newChannel }}? Choose in your portal: {{ data.preferencesUrl }}',
      },
      portal: {
        subject: 'Would you like to hear from us by {{ data.newChannel }}?',
        body: `${ask}`,
      },
    },
  },
  dataSchema: {
    type: 'object',
    required: ['newChannel', 'preferencesUrl', 'message'],
    properties: {
      newChannel: {
        type: 'string',
        description: 'How the customer is asked to be reached: "email" or "the customer portal"',
      },
      preferencesUrl: { type: 'string', description: 'The portal page where the customer chooses their channels' },
      message: { type: 'string', description: 'Why we ask, in the words of the announcement' },
    },
  },
  sampleData: {
    newChannel: 'email',
    preferencesUrl: 'https://tidings.example/portal/settings',
    message: 'We are moving our correspondence from fax to email: faster for you, and kinder to paper.',
  },
};
