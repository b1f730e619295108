import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { PortalAccess } from '../portal/portal-viewer.js';
import { users } from '../users/users.tables.js';

export const customerKinds = ['person', 'organization'] as const;
export const lifecycleStages = ['prospect', 'onboarding', 'active', 'at_risk', 'closed'] as const;
export const channels = ['email', 'sms', 'letter', 'fax', 'portal'] as const;
export const purposes = ['transactional', 'service', 'marketing'] as const;
export const consentSources = ['form', 'phone', 'import', 'portal', 'api'] as const;
export const attributeTypes = ['text', 'number', 'date', 'choice'] as const;

export type CustomerKind = (typeof customerKinds)[number];
export type LifecycleStage = (typeof lifecycleStages)[number];
export type Channel = (typeof channels)[number];
export type Purpose = (typeof purposes)[number];
export type ConsentSource = (typeof consentSources)[number];
export type AttributeType = (typeof attributeTypes)[number];

export type PostalAddress = {
  lines: string[];
  postalCode: string;
  city: string;
  region?: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
};

export type QuietHours = { start: string; end: string };

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

const emptyArray = sql`'{}'::text[]`;

/**
 * Text that sorts by language rules (Bäckerei before Blumen, Émile beside Emil), not by code point:
 * the ICU root collation, which PGlite and PostgreSQL both ship. It is deterministic, so equality,
 * the trigram index and keyset cursors behave as with plain text.
 */
const languageSortedText = customType<{ data: string }>({ dataType: () => 'text collate "und-x-icu"' });

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<CustomerKind>().notNull(),
    /** What people call the customer: "Given Family" for a person, the organization's name otherwise. */
    name: languageSortedText('name').notNull(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    organizationName: text('organization_name'),
    /** Lower-case; the first is the primary address. */
    emails: text('emails').array().notNull().default(emptyArray),
    /** E.164; the first is the primary number. */
    phones: text('phones').array().notNull().default(emptyArray),
    fax: text('fax'),
    address: jsonb('address').$type<PostalAddress>(),
    language: text('language').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('UTC'),
    lifecycleStage: text('lifecycle_stage').$type<LifecycleStage>().notNull().default('prospect'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(emptyArray),
    attributes: jsonb('attributes').$type<Record<string, string | number>>().notNull().default({}),
    externalId: text('external_id').unique(),
    channelPreferences: text('channel_preferences').array().$type<Channel[]>().notNull().default(emptyArray),
    quietHours: jsonb('quiet_hours').$type<QuietHours>(),
    /** Addresses that bounced hard ("email:ann@example.com", "sms:+4930…"): never routed to again. */
    undeliverable: text('undeliverable').array().notNull().default(emptyArray),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    mergedInto: uuid('merged_into'),
    lastContactedAt: timestamp('last_contacted_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index('customers_emails_idx').using('gin', table.emails),
    index('customers_phones_idx').using('gin', table.phones),
    index('customers_tags_idx').using('gin', table.tags),
    // A segment on a rarely used attribute finds its few customers through `attributes ? key`.
    index('customers_attributes_idx').using('gin', table.attributes),
    index('customers_name_sort_idx').on(table.name, table.id),
    index('customers_created_idx').on(table.createdAt, table.id),
    // A stage's customers by name: the list's first page walks them in order instead of sorting a whole stage.
    index('customers_stage_name_idx').on(table.lifecycleStage, table.name, table.id),
    // An owner's customers by name: an owner with a few customers among a million is otherwise found by walking the whole list.
    index('customers_owner_idx').on(table.ownerId, table.name, table.id),
    // The name search finds customers by whole words (`name_words(name) && array[...]`), once each typed word is corrected.
    index('customers_name_words_idx').using('gin', sql`name_words(${table.name})`),
  ],
);

/**
 * Every distinct word of the customers' names as `name_words()` writes it (lower case, accents
 * left out), kept by triggers on customers. A misspelt word is corrected against these few
 * thousand words, not against a million names in which "Schmidt" is 50,000 times.
 */
export const customerNameWords = pgTable('customer_name_words', { word: text('word').primaryKey() }, (table) => [
  index('customer_name_words_trgm_idx').using('gin', table.word.op('gin_trgm_ops')),
]);

/** The people to talk to at an organization. */
export const customerContacts = pgTable(
  'customer_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role'),
    email: text('email'),
    phone: text('phone'),
    primary: boolean('is_primary').notNull().default(false),
    /** What the contact may do in the portal (`portalAccessLevels`): 'none' cannot sign in. */
    portalAccess: text('portal_access').$type<PortalAccess>().notNull().default('service'),
    ...timestamps,
  },
  (table) => [
    index('customer_contacts_customer_idx').on(table.customerId),
    // Portal sign-in finds a contact by address.
    index('customer_contacts_email_idx').on(sql`lower(${table.email})`),
  ],
);

/** The consent ledger: append-only, the truth about what a customer agreed to and when. */
export const consentEvents = pgTable(
  'consent_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<Channel>().notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    granted: boolean('granted').notNull(),
    source: text('source').$type<ConsentSource>().notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (table) => [index('consent_events_customer_idx').on(table.customerId, table.at)],
);

/** The current consent per channel and purpose, kept equal to the latest ledger event in the same transaction. */
export const customerConsents = pgTable(
  'customer_consents',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<Channel>().notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    granted: boolean('granted').notNull(),
    source: text('source').$type<ConsentSource>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.customerId, table.channel, table.purpose] }),
    index('customer_consents_lookup_idx').on(table.purpose, table.channel, table.granted),
  ],
);

/** Typed custom fields an admin defines for customers. */
export const attributeDefinitions = pgTable('customer_attribute_definitions', {
  key: text('key').primaryKey(),
  label: text('label').notNull(),
  type: text('type').$type<AttributeType>().notNull(),
  choices: text('choices').array().notNull().default(emptyArray),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const segments = pgTable('segments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  ...timestamps,
});

export const importStatuses = [
  'uploaded',
  'queued',
  'validating',
  'importing',
  'completed',
  'rejected',
  'failed',
] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const customerImports = pgTable('customer_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  fileSize: integer('file_size').notNull(),
  options: jsonb('options').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<ImportStatus>().notNull().default('queued'),
  rowsTotal: integer('rows_total').notNull().default(0),
  rowsDone: integer('rows_done').notNull().default(0),
  inserted: integer('inserted').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  error: text('error'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

export const customerImportRejects = pgTable(
  'customer_import_rejects',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => customerImports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
  },
  (table) => [index('customer_import_rejects_idx').on(table.importId, table.rowNumber)],
);

/** Pairs a person looked at and said are not the same customer; detection stops proposing them. */
export const duplicateDismissals = pgTable(
  'customer_duplicate_dismissals',
  {
    customerA: uuid('customer_a')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    customerB: uuid('customer_b')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    dismissedBy: text('dismissed_by').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.customerA, table.customerB] })],
);
