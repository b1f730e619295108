import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ChannelBodies, PostalAddress } from '../rendering/index.js';

export const templatePurposes = ['transactional', 'service', 'marketing', 'regulatory'] as const;
export type TemplatePurpose = (typeof templatePurposes)[number];

export const versionStatuses = ['draft', 'in_review', 'changes_requested', 'approved', 'published', 'retired'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

export const fragmentKinds = ['letterhead', 'signature', 'disclosure', 'unsubscribe_footer', 'other'] as const;
export type FragmentKind = (typeof fragmentKinds)[number];

export const complianceRuleKinds = [
  'required_fragment',
  'forbidden_phrase',
  'unsubscribe_footer',
  'sms_max_segments',
  'renders_for_samples',
] as const;
export type ComplianceRuleKind = (typeof complianceRuleKinds)[number];

/** A template version's bodies per language: `{ de: { email: …, letter: … }, en: { … } }`. */
export type LanguageVariants = Record<string, ChannelBodies>;

/** Who made a version and who decided on it; shared by template and fragment versions. */
const versionColumns = () => ({
  number: integer('number').notNull(),
  status: text('status').$type<VersionStatus>().notNull().default('draft'),
  changeNote: text('change_note').notNull().default(''),
  createdById: uuid('created_by_id'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

export const brandKit = pgTable('brand_kit', {
  id: integer('id').primaryKey().default(1),
  companyName: text('company_name').notNull(),
  logoSha256: text('logo_sha256'),
  logoMimeType: text('logo_mime_type'),
  colors: jsonb('colors').$type<{ primary: string; accent: string; text: string }>().notNull(),
  font: text('font').$type<'Helvetica' | 'Times-Roman' | 'Courier'>().notNull().default('Helvetica'),
  senders: jsonb('senders')
    .$type<{ emailFrom: string; emailName: string; replyTo?: string; smsSender: string; faxNumber?: string }>()
    .notNull(),
  returnAddress: jsonb('return_address').$type<PostalAddress>().notNull(),
  website: text('website'),
  legalFooter: text('legal_footer'),
  /** ISO 4217 code that costs are shown in. */
  currency: text('currency').notNull().default('EUR'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const fragments = pgTable('fragments', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').$type<FragmentKind>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const fragmentVersions = pgTable(
  'fragment_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fragmentId: uuid('fragment_id')
      .notNull()
      .references(() => fragments.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    ...versionColumns(),
  },
  (table) => [uniqueIndex('fragment_versions_number_idx').on(table.fragmentId, table.number)],
);

export const templates = pgTable('templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  purpose: text('purpose').$type<TemplatePurpose>().notNull(),
  description: text('description').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const templateVersions = pgTable(
  'template_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    variants: jsonb('variants').$type<LanguageVariants>().notNull(),
    defaultLanguage: text('default_language').notNull(),
    /** JSON Schema of the data a send must bring beyond the customer record. */
    dataSchema: jsonb('data_schema').$type<Record<string, unknown>>().notNull().default({}),
    /** Example data for previews and the compliance check. */
    sampleData: jsonb('sample_data').$type<Record<string, unknown>>().notNull().default({}),
    /** Fragment key → fragment version id, fixed when the version is published. */
    pinnedFragments: jsonb('pinned_fragments').$type<Record<string, string>>(),
    ...versionColumns(),
  },
  (table) => [
    uniqueIndex('template_versions_number_idx').on(table.templateId, table.number),
    // At most one published version per template: the one new sends use.
    uniqueIndex('template_versions_published_idx')
      .on(table.templateId)
      .where(sql`status = 'published'`),
  ],
);

export const versionComments = pgTable(
  'version_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectType: text('subject_type').$type<'template_version' | 'fragment_version'>().notNull(),
    versionId: uuid('version_id').notNull(),
    parentId: uuid('parent_id'),
    /** Where in the version the comment points, e.g. "de.email.body". */
    anchor: text('anchor'),
    body: text('body').notNull(),
    authorId: uuid('author_id'),
    author: text('author').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
  },
  (table) => [index('version_comments_version_idx').on(table.versionId, table.createdAt)],
);

export const complianceRules = pgTable('compliance_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** null: applies to every purpose. */
  purpose: text('purpose').$type<TemplatePurpose>(),
  kind: text('kind').$type<ComplianceRuleKind>().notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  description: text('description').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
