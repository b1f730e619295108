import type { TemplateInput } from '../templates/template-input.js';

/** The reserved template a portal sign-in link is sent with. */
export const PORTAL_SIGN_IN_TEMPLATE = 'portal-sign-in';

/**
 * The single-use link by email, to exactly the address that asked for it. Published by Tidings on
 * first start (`templates.ensureSystemTemplate`); its wording may be changed like any template's,
 * as long as it carries `data.link`.
 */
export const portalSignInTemplate: TemplateInput = {
  key: PORTAL_SIGN_IN_TEMPLATE,
  name: 'Portal sign-in link',
  purpose: 'transactional',
  description:
    'The single-use link a customer asked for to sign in to the portal. Reserved: the portal sends it, by email only.',
  defaultLanguage: 'en',
  variants: {
    en: {
      email: {
        subject: 'Your sign-in link for {{ brand.companyName }}',
        format: 'markdown',
        body: `Hello {{ data.name }},

[Sign in to your {{ brand.companyName }} portal]({{ data.link }})

Or copy this link into your browser:

{{ data.link }}

The link works once, for {{ data.validMinutes }} minutes. If you did not ask to sign in, ignore this email: nobody can sign in without the link.

{{ brand.companyName }}`,
      },
    },
  },
  dataSchema: {
    type: 'object',
    required: ['link', 'name', 'validMinutes'],
    properties: {
      link: { type: 'string' },
      name: { type: 'string', description: 'The customer or organization contact who asked' },
      validMinutes: { type: 'integer' },
    },
  },
  sampleData: {
    link: 'https://tidings.example/portal/sign-in#sample-token',
    name: 'Erika Mustermann',
    validMinutes: 15,
  },
};
