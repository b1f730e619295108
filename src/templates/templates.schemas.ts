import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import {
  brandKit,
  complianceRuleKinds,
  complianceRules,
  fragmentKinds,
  fragments,
  fragmentVersions,
  templatePurposes,
  templates,
  templateVersions,
  versionComments,
  versionStatuses,
} from './templates.tables.js';
import { workflowActions } from './workflow.js';

const liquidText = (max: number) => z.string().max(max);

/** How template and fragment bodies are written: said once, shown on every schema that takes them. */
export const templateSyntax =
  'Liquid over Markdown (an email body may be MJML instead). Variables: {{ customer.name }}, ' +
  '{{ customer.address }}, {{ contact.name }} (when the communication has a contact), {{ data.<field> }} ' +
  "(the send's data), {{ brand.companyName }}, {{ language }}, {{ now }}; filters date, money, number and " +
  "address besides Liquid's own. Insert an approved fragment with {% fragment 'legal-disclosure' %} (the key " +
  'in quotes): it renders with the same variables, and publishing a version pins the fragment versions it uses. ' +
  'include, render and layout are refused: templates cannot read files.';

export const channelBodiesSchema = z
  .strictObject({
    email: z
      .strictObject({
        subject: liquidText(500),
        body: liquidText(200_000),
        format: z.enum(['markdown', 'mjml']).default('markdown'),
      })
      .optional(),
    sms: z.strictObject({ text: liquidText(5_000) }).optional(),
    letter: z.strictObject({ body: liquidText(200_000) }).optional(),
    fax: z.strictObject({ body: liquidText(200_000) }).optional(),
    portal: z.strictObject({ subject: liquidText(500), body: liquidText(200_000) }).optional(),
  })
  .describe(`Liquid sources per channel. ${templateSyntax}`);

const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or de-CH');

export const variantsSchema = z
  .record(languageTag, channelBodiesSchema)
  .refine((variants) => Object.keys(variants).length > 0, 'add at least one language');

const versionFields = {
  variants: variantsSchema,
  defaultLanguage: languageTag,
  dataSchema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of the data each send must bring'),
  sampleData: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Example data for previews and the compliance check'),
  changeNote: z.string().max(1000).optional(),
};

export const versionBody = z.strictObject(versionFields);

/** Words the web app uses as paths under /templates, so no template may be called them. */
const reservedKeys = ['new', 'fragments', 'brand', 'compliance'];

export const createTemplateBody = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be lower-case letters, digits and dashes')
    .refine((key) => !reservedKeys.includes(key), 'is a reserved word; choose another key'),
  name: z.string().trim().min(1).max(200),
  purpose: z.enum(templatePurposes),
  description: z.string().max(2000).optional(),
  ...versionFields,
});

// Response shapes are picked from the tables, so a column's type is written once and a column no
// schema picks (who made a version, by id) cannot leave the server. Columns typed in TypeScript only
// (`$type`, jsonb) get their type here.

const anyRecord = z.record(z.string(), z.unknown());
const templateVersionColumns = createSelectSchema(templateVersions);
/** What a list shows of a template or fragment version, without its content. */
const versionSummaryColumns = {
  id: true,
  number: true,
  changeNote: true,
  createdBy: true,
  createdAt: true,
  decidedBy: true,
  publishedAt: true,
} as const;

export const versionSummary = templateVersionColumns
  .pick(versionSummaryColumns)
  .extend({ status: z.enum(versionStatuses) });

export const templateResponse = createSelectSchema(templates)
  .pick({ id: true, key: true, name: true, description: true, createdAt: true, updatedAt: true })
  .extend({ purpose: z.enum(templatePurposes) })
  .describe('Template');

export const versionResponse = versionSummary
  .extend(
    templateVersionColumns.pick({
      templateId: true,
      defaultLanguage: true,
      submittedAt: true,
      decidedAt: true,
      retiredAt: true,
    }).shape,
  )
  .extend({
    variants: z.record(z.string(), anyRecord),
    dataSchema: anyRecord,
    sampleData: anyRecord,
    pinnedFragments: z.record(z.string(), z.string()).nullable(),
  })
  .describe('TemplateVersion');

export const fragmentVersionResponse = createSelectSchema(fragmentVersions)
  .pick({ ...versionSummaryColumns, body: true })
  .extend({ status: z.enum(versionStatuses) })
  .describe('FragmentVersion');

export const fragmentResponse = createSelectSchema(fragments)
  .pick({ id: true, key: true, name: true, createdAt: true })
  .extend({ kind: z.enum(fragmentKinds) })
  .describe('Fragment');

export const commentResponse = createSelectSchema(versionComments)
  .pick({
    id: true,
    parentId: true,
    anchor: true,
    body: true,
    author: true,
    createdAt: true,
    resolvedAt: true,
    resolvedBy: true,
  })
  .describe('Comment');

export const ruleResponse = createSelectSchema(complianceRules)
  .pick({ id: true, description: true, enabled: true })
  .extend({
    purpose: z.enum(templatePurposes).nullable(),
    kind: z.enum(complianceRuleKinds),
    params: anyRecord,
  })
  .describe('ComplianceRule');

export const workflowBody = z.strictObject({
  action: z.enum(workflowActions),
  comment: z.string().trim().max(5000).optional().describe('Posted as a review comment with the action'),
});

export const previewBody = z.strictObject({
  customerId: z.uuid().optional().describe('Preview for this customer; the sample customers when absent'),
  language: languageTag.optional(),
  data: z.record(z.string(), z.unknown()).optional().describe("The send's data; the version's sample data when absent"),
});

export const draftPreviewBody = previewBody.extend({
  variants: variantsSchema,
  defaultLanguage: languageTag,
  sampleData: z.record(z.string(), z.unknown()).optional(),
});

const renderFailure = z
  .object({ field: z.string(), message: z.string(), line: z.number().optional(), column: z.number().optional() })
  .describe('Where a channel failed to render: the field (such as email.subject), and the line and column in it');

const channelPreview = z
  .discriminatedUnion('channel', [
    z.object({
      channel: z.literal('email'),
      subject: z.string(),
      html: z.string().describe('The HTML body; the brand logo is referenced as cid:brand-logo@tidings'),
      text: z.string().describe('The plain-text alternative'),
    }),
    z.object({
      channel: z.literal('sms'),
      text: z.string(),
      encoding: z.enum(['GSM-7', 'UCS-2']),
      characters: z.number().int(),
      segments: z.number().int().describe('How many SMS the text is sent as'),
    }),
    z.object({
      channel: z.enum(['letter', 'fax']),
      pages: z.number().int(),
      pdfBase64: z.string().describe('The rendered PDF (A4, window-envelope address block), base64-encoded'),
    }),
    z.object({ channel: z.literal('portal'), subject: z.string(), html: z.string() }),
  ])
  .describe('The channel as the customer would get it');

export const previewResponse = z
  .object({
    previews: z.array(
      z.object({
        customer: z
          .object({ id: z.uuid().nullable().describe('Null for a built-in sample customer'), name: z.string() })
          .describe('The customer rendered for'),
        language: z.string().describe('The language variant chosen for this customer'),
        channels: z.array(
          z
            .object({
              channel: z.enum(['email', 'sms', 'letter', 'fax', 'portal']),
              preview: channelPreview.optional(),
              error: renderFailure.optional(),
            })
            .describe('One channel of the template: its preview, or the error that stopped it'),
        ),
      }),
    ),
  })
  .describe('TemplatePreview');

export const fragmentBody = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(fragmentKinds),
  body: z.string().max(100_000).describe(`The fragment's source. ${templateSyntax}`),
});

export const commentBody = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  parentId: z.uuid().optional(),
  anchor: z.string().max(100).optional(),
});

const ruleFields = {
  purpose: z.enum(templatePurposes).nullable(),
  kind: z.enum(complianceRuleKinds),
  params: z.record(z.string(), z.unknown()),
  description: z.string().trim().min(1).max(500),
  enabled: z.boolean(),
};

export const ruleBody = z.strictObject({
  ...ruleFields,
  params: ruleFields.params.default({}),
  enabled: ruleFields.enabled.optional(),
});

/** A change to a rule: only the fields given change (no defaults, so turning a rule off keeps its settings). */
export const rulePatchBody = z.strictObject(ruleFields).partial();

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d4ed8');

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR or USD')
  .refine((code) => knownCurrencies.has(code), 'is not an ISO 4217 currency code');

export const brandBody = z.strictObject({
  companyName: z.string().trim().min(1).max(200),
  colors: z.strictObject({ primary: hex, accent: hex, text: hex }),
  font: z.enum(['Helvetica', 'Times-Roman', 'Courier']),
  senders: z.strictObject({
    emailFrom: z.email(),
    emailName: z.string().trim().min(1).max(200),
    replyTo: z.email().optional(),
    smsSender: z.string().trim().min(1).max(11),
    faxNumber: z.string().max(40).optional(),
  }),
  returnAddress: z.strictObject({
    lines: z.array(z.string().min(1).max(200)).min(1).max(4),
    postalCode: z.string().max(20),
    city: z.string().min(1).max(100),
    region: z.string().max(100).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code such as DE or US'),
  }),
  website: z.string().url().nullable(),
  legalFooter: z.string().max(1000).nullable(),
  currency: currencyCode.optional().describe('ISO 4217 code costs are shown in; unchanged when left out'),
});

export const brandResponse = createSelectSchema(brandKit)
  .pick({ companyName: true, website: true, legalFooter: true, currency: true, logoSha256: true, updatedAt: true })
  .extend({
    colors: brandBody.shape.colors,
    font: brandBody.shape.font,
    senders: brandBody.shape.senders,
    returnAddress: brandBody.shape.returnAddress,
  })
  .describe('BrandKit');
