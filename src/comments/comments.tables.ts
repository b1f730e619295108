import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.tables.js';

/** The records people comment on, mention colleagues on and follow (comment-subjects.ts says who may read each). */
export const commentSubjectKinds = [
  'customer',
  'template',
  'document',
  'ticket',
  'goal',
  'suggestion',
  'announcement',
] as const;
export type CommentSubjectKind = (typeof commentSubjectKinds)[number];

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A comment on any record; the record is named by kind and id, as its owning domain knows it. */
export const recordComments = pgTable(
  'record_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectKind: text('subject_kind').$type<CommentSubjectKind>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    /** The staff its @mentions named when it was last saved. */
    mentions: uuid('mentions')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: at('created_at').notNull(),
    editedAt: at('edited_at'),
  },
  (table) => [index('record_comments_subject_idx').on(table.subjectKind, table.subjectId, table.createdAt, table.id)],
);

/** Who follows which record: its comments and changes reach their feed. */
export const recordFollows = pgTable(
  'record_follows',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectKind: text('subject_kind').$type<CommentSubjectKind>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.subjectKind, table.subjectId] }),
    index('record_follows_subject_idx').on(table.subjectKind, table.subjectId),
  ],
);

/**
 * What happened on a record, for the feed of those who follow it: a comment, a status change. The
 * record's label and page are kept as they were then, so a feed reads without a query per domain.
 */
export const recordActivity = pgTable(
  'record_activity',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectKind: text('subject_kind').$type<CommentSubjectKind>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    subjectLabel: text('subject_label').notNull(),
    subjectPath: text('subject_path').notNull(),
    kind: text('kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorName: text('actor_name').notNull(),
    summary: text('summary').notNull(),
    /** The comment an event is, so that deleting the comment takes its event along. */
    commentId: uuid('comment_id').references(() => recordComments.id, { onDelete: 'cascade' }),
    createdAt: at('created_at').notNull(),
  },
  (table) => [
    index('record_activity_subject_idx').on(table.subjectKind, table.subjectId, table.createdAt, table.id),
    index('record_activity_comment_idx').on(table.commentId),
  ],
);
