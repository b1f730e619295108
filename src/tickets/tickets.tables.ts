import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { communications } from '../communications/communications.tables.js';
import { customerContacts, customers } from '../customers/customers.tables.js';
import { templateVersions } from '../templates/templates.tables.js';
import { teams, users } from '../users/users.tables.js';
import { slaPolicies } from './sla/sla.tables.js';

export const ticketKinds = ['request', 'inquiry', 'complaint'] as const;
export type TicketKind = (typeof ticketKinds)[number];

export const ticketStatuses = ['new', 'open', 'pending_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

/** Where the customer's first message came in. */
export const ticketSources = ['email', 'phone', 'portal', 'letter_scan', 'api'] as const;
export type TicketSource = (typeof ticketSources)[number];

export const assignmentRules = ['manual', 'round_robin'] as const;
export type AssignmentRule = (typeof assignmentRules)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A queue belongs to a team: its members work it, its lead hears of breaches. */
export const ticketQueues = pgTable('ticket_queues', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
  leadUserId: uuid('lead_user_id').references(() => users.id, { onDelete: 'set null' }),
  assignment: text('assignment').$type<AssignmentRule>().notNull().default('manual'),
  /** Round-robin resumes after the member who got the last ticket. */
  lastAssignedUserId: uuid('last_assigned_user_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/** A request, inquiry or complaint of one customer, and the conversation about it. */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What people say on the phone and in subjects: "ticket 1042". */
    number: bigserial('number', { mode: 'number' }).notNull().unique(),
    kind: text('kind').$type<TicketKind>().notNull(),
    subject: text('subject').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    contactId: uuid('contact_id').references(() => customerContacts.id, { onDelete: 'set null' }),
    source: text('source').$type<TicketSource>().notNull(),
    queueId: uuid('queue_id').references(() => ticketQueues.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    priority: text('priority').$type<TicketPriority>().notNull().default('normal'),
    status: text('status').$type<TicketStatus>().notNull().default('new'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The communication a complaint is about, and through it the template version that produced it. */
    communicationId: uuid('communication_id').references(() => communications.id),
    templateVersionId: uuid('template_version_id').references(() => templateVersions.id),
    /** Set when this ticket was merged into another; it is closed and its messages live there. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tickets.id),
    /** Who opened it: a staff member, the portal, the inbound mail listener. */
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    /** Service-level due times (business hours; the clock stops while pending the customer). */
    firstResponseDueAt: instant('first_response_due_at'),
    resolutionDueAt: instant('resolution_due_at'),
    firstRespondedAt: instant('first_responded_at'),
    resolvedAt: instant('resolved_at'),
    closedAt: instant('closed_at'),
    /** The policy the due times came from; they stay when it is deleted. */
    slaPolicyId: uuid('sla_policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    /** When the resolution clock stopped (pending the customer, resolved, closed); null while it runs. */
    slaPausedAt: instant('sla_paused_at'),
    /** Business time the resolution clock stood still so far, already added to resolutionDueAt. */
    slaPausedMinutes: doublePrecision('sla_paused_minutes').notNull().default(0),
    /** Set once by the SLA timer when a target passed unmet; its notice went out with it. */
    firstResponseBreachedAt: instant('first_response_breached_at'),
    resolutionBreachedAt: instant('resolution_breached_at'),
  },
  (table) => [
    // Every inbox view lists newest first: each filter it starts from ends in (created_at, id), so a
    // page is read off an index in order instead of sorting every match (bench: tickets section).
    index('tickets_created_idx').on(table.createdAt, table.id),
    index('tickets_status_idx').on(table.status, table.createdAt, table.id),
    index('tickets_assignee_idx').on(table.assigneeId, table.createdAt, table.id),
    index('tickets_queue_idx').on(table.queueId, table.createdAt, table.id),
    index('tickets_unassigned_idx')
      .on(table.createdAt, table.id)
      .where(sql`assignee_id is null and status in ('new', 'open', 'pending_customer')`),
    // Search by any part of the subject.
    index('tickets_subject_trgm_idx').using('gin', table.subject.op('gin_trgm_ops')),
    index('tickets_customer_idx').on(table.customerId, table.createdAt),
    index('tickets_communication_idx').on(table.communicationId),
    index('tickets_template_version_idx').on(table.templateVersionId),
    // The SLA timer and the "breaching" views read only targets still running.
    index('tickets_first_response_due_idx')
      .on(table.firstResponseDueAt)
      .where(sql`first_responded_at is null and status in ('new', 'open', 'pending_customer')`),
    index('tickets_resolution_due_idx')
      .on(table.resolutionDueAt)
      .where(sql`status in ('new', 'open')`),
  ],
);

export const ticketMessageKinds = ['customer', 'reply', 'note'] as const;
/** customer: from the customer (email, portal, phone notes of what they said); reply: public answer; note: internal. */
export type TicketMessageKind = (typeof ticketMessageKinds)[number];

export type TicketAttachment = { sha256: string; filename: string; mediaType: string; size: number };

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    kind: text('kind').$type<TicketMessageKind>().notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorLabel: text('author_label').notNull(),
    /** A public reply goes out as a communication through the delivery pipeline. */
    communicationId: uuid('communication_id').references(() => communications.id),
    /** The Message-ID of an inbound email, so a retried delivery of the same mail is one message. */
    emailMessageId: text('email_message_id'),
    /** The raw inbound message in the blob store, kept as received. */
    rawSha256: text('raw_sha256'),
    attachments: jsonb('attachments').$type<TicketAttachment[]>().notNull().default([]),
    mentions: uuid('mentions')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [
    index('ticket_messages_ticket_idx').on(table.ticketId, table.createdAt, table.id),
    uniqueIndex('ticket_messages_email_idx').on(table.emailMessageId),
  ],
);

export const ticketLinkTargets = ['communication', 'document'] as const;
export type TicketLinkTarget = (typeof ticketLinkTargets)[number];

/** Further records a ticket is about, beyond the one communication a complaint names. */
export const ticketLinks = pgTable(
  'ticket_links',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    targetType: text('target_type').$type<TicketLinkTarget>().notNull(),
    targetId: uuid('target_id').notNull(),
    createdAt: instant('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [primaryKey({ columns: [table.ticketId, table.targetType, table.targetId] })],
);

/** Staff who are away get no round-robin tickets. */
export const agentAvailability = pgTable('agent_availability', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  available: boolean('available').notNull().default(true),
  updatedAt: instant('updated_at').notNull(),
});

/** Answers agents insert into a reply, with Liquid placeholders for the customer, the ticket and the agent. */
export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  /** Markdown with Liquid, rendered in the templates' sandbox when an agent inserts it. */
  body: text('body').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
