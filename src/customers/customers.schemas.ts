import { z } from 'zod';
import { cursorParam } from '../http/schemas.js';
import { portalAccessLevels } from '../portal/portal-viewer.js';
import {
  attributeTypes,
  channels,
  consentSources,
  customerKinds,
  lifecycleStages,
  purposes,
} from './customers.tables.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM');
const shortText = (max = 200) => z.string().trim().min(1).max(max);

export const channelSchema = z.enum(channels);
export const purposeSchema = z.enum(purposes);

export const addressSchema = z.strictObject({
  lines: z.array(shortText()).min(1).max(4).describe('Street, house number, c/o, …'),
  postalCode: z.string().trim().max(20).default(''),
  city: shortText(100),
  region: z.string().trim().max(100).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code such as DE or US'),
});

export const quietHoursSchema = z
  .strictObject({ start: hhmm, end: hhmm })
  .describe("Local times in the customer's time zone");

export const contactInput = z.strictObject({
  name: shortText(),
  role: z.string().trim().max(100).optional(),
  email: z.email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
  primary: z.boolean().optional(),
  portalAccess: z
    .enum(portalAccessLevels)
    .optional()
    .describe(
      'What the contact may do in the customer portal: full (everything), service (only their own requests), none (cannot sign in). Default: full for the primary contact, else service',
    ),
});

export const contactPortalAccessBody = z.strictObject({ portalAccess: z.enum(portalAccessLevels) });

export const consentInput = z.strictObject({
  channel: channelSchema,
  purpose: purposeSchema,
  granted: z.boolean(),
  source: z.enum(consentSources),
  note: z.string().max(1000).optional(),
});

const customerFields = {
  givenName: z.string().trim().max(100).nullish(),
  familyName: z.string().trim().max(100).nullish(),
  organizationName: z.string().trim().max(200).nullish(),
  emails: z.array(z.email().max(254)).max(10).optional().describe('The first is the primary address'),
  phones: z.array(z.string().trim().min(3).max(40)).max(10).optional().describe('Any common format; stored as E.164'),
  fax: z.string().trim().max(40).nullish(),
  address: addressSchema.nullish(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or de-CH')
    .optional(),
  timeZone: z.string().max(64).optional().describe('IANA time zone such as Europe/Berlin'),
  lifecycleStage: z.enum(lifecycleStages).optional(),
  ownerId: z.uuid().nullish(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  externalId: z.string().trim().min(1).max(100).nullish(),
  channelPreferences: z
    .array(channelSchema)
    .max(5)
    .optional()
    .describe('Channels in the order the customer prefers them'),
  quietHours: quietHoursSchema.nullish(),
};

export const createCustomerBody = z.strictObject({
  kind: z.enum(customerKinds),
  ...customerFields,
  contacts: z.array(contactInput).max(50).optional(),
  consents: z.array(consentInput).max(15).optional(),
});

export const updateCustomerBody = z.strictObject(customerFields);

export type CreateCustomerInput = z.infer<typeof createCustomerBody>;
export type UpdateCustomerInput = z.infer<typeof updateCustomerBody>;

const addressResponse = z.object({
  lines: z.array(z.string()),
  postalCode: z.string(),
  city: z.string(),
  region: z.string().optional(),
  country: z.string(),
});

export const contactResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  primary: z.boolean(),
  portalAccess: z.enum(portalAccessLevels),
});

export const consentStateResponse = z.object({
  channel: channelSchema,
  purpose: purposeSchema,
  granted: z.boolean(),
  source: z.enum(consentSources),
  at: z.date(),
});

export const customerSummaryResponse = z
  .object({
    id: z.uuid(),
    kind: z.enum(customerKinds),
    name: z.string(),
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    lifecycleStage: z.enum(lifecycleStages),
    tags: z.array(z.string()),
    externalId: z.string().nullable(),
    archivedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('CustomerSummary');

export const customerResponse = customerSummaryResponse
  .extend({
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    organizationName: z.string().nullable(),
    fax: z.string().nullable(),
    address: addressResponse.nullable(),
    language: z.string(),
    timeZone: z.string(),
    owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number()])),
    channelPreferences: z.array(channelSchema),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    undeliverable: z.array(z.string()),
    mergedInto: z.uuid().nullable(),
    lastContactedAt: z.date().nullable(),
    contacts: z.array(contactResponse),
    consents: z.array(consentStateResponse),
  })
  .describe('Customer');

export const attributeDefinitionBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (starting with a letter)'),
  label: shortText(100),
  type: z.enum(attributeTypes),
  choices: z.array(shortText(100)).max(100).optional(),
});

export const listCustomersQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('A name (fuzzy), an email or a phone number'),
  lifecycle: z.union([z.enum(lifecycleStages), z.array(z.enum(lifecycleStages))]).optional(),
  tag: z.union([z.string(), z.array(z.string())]).optional(),
  kind: z.enum(customerKinds).optional(),
  ownerId: z.uuid().optional(),
  segment: z.uuid().optional().describe('Only customers in this saved segment'),
  archived: z.enum(['false', 'true', 'all']).default('false'),
  sort: z.enum(['name', 'created', 'updated']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ListCustomersQuery = z.infer<typeof listCustomersQuery>;

/** The list's filters, without its order and pages: what a count of the list is asked with. */
export const countCustomersQuery = listCustomersQuery.omit({ cursor: true, limit: true, sort: true, order: true });
export type CountCustomersQuery = z.infer<typeof countCustomersQuery>;

export const customerCountResponse = z
  .object({
    count: z.number().int().describe('Exact up to 10,000; above, estimated from a sample'),
    estimated: z.boolean().describe('The count is an estimate (two significant digits)'),
  })
  .describe('CustomerCount');
