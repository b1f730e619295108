import { index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { Role } from '../../auth/roles.js';
import { users } from '../../users/users.tables.js';
import { documents, documentVersions } from '../documents.tables.js';

/** Where one round of a version's review stands; a version never submitted is a draft (it has no round). */
export const reviewStatuses = ['in_review', 'rejected', 'approved', 'published', 'superseded'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export const reviewEventActions = ['submitted', 'approved', 'rejected', 'published', 'superseded'] as const;
export type ReviewEventAction = (typeof reviewEventActions)[number];

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * One round of review of one document version: asked of named reviewers (all must approve) or of a
 * role (one member's approval suffices). A rejected version goes back to its author, who may submit
 * it again as the next round.
 */
export const documentReviews = pgTable(
  'document_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => documentVersions.id),
    round: integer('round').notNull(),
    status: text('status').$type<ReviewStatus>().notNull(),
    message: text('message').notNull().default(''),
    reviewerIds: uuid('reviewer_ids').array().notNull().default([]),
    reviewerRole: text('reviewer_role').$type<Role>(),
    submittedBy: uuid('submitted_by').references(() => users.id, { onDelete: 'set null' }),
    submittedAt: instant('submitted_at').notNull(),
    decidedAt: instant('decided_at'),
    publishedAt: instant('published_at'),
  },
  (table) => [
    unique('document_reviews_round_unique').on(table.versionId, table.round),
    index('document_reviews_document_idx').on(table.documentId, table.submittedAt),
    index('document_reviews_status_idx').on(table.status, table.submittedAt),
  ],
);

/** What happened in a review, in order: the submission, each reviewer's decision with its comment, publication. */
export const documentReviewEvents = pgTable(
  'document_review_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => documentReviews.id),
    action: text('action').$type<ReviewEventAction>().notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who it was at the time, kept when the user is gone. */
    actorName: text('actor_name').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [index('document_review_events_review_idx').on(table.reviewId, table.createdAt)],
);
