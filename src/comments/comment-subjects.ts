import { and, eq, sql } from 'drizzle-orm';
import { can, type Permission } from '../auth/policy.js';
import type { Executor } from '../db/database.js';
import { announcements } from '../announcements/announcements.tables.js';
import { customers } from '../customers/customers.tables.js';
import { readableDocuments } from '../documents/access/document-access.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import { documents } from '../documents/documents.tables.js';
import { goals } from '../insights/goals.tables.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { suggestions } from '../suggestions/suggestions.tables.js';
import { templates } from '../templates/templates.tables.js';
import { tickets } from '../tickets/tickets.tables.js';
import type { CommentSubjectKind } from './comments.tables.js';

export type Subject = { kind: CommentSubjectKind; id: string };

/** What a record is called and where its page is, for notices and the feed. */
export type SubjectView = { label: string; path: string };

/**
 * How comments reach a kind of record: the permission that reads it (reading and commenting both
 * need it) and how to find one, null when there is none. The owning domains' rules, in one place.
 */
type SubjectKindRules = {
  permission: Permission;
  find(executor: Executor, id: string, actor: Actor, grants: GrantPresence): Promise<SubjectView | null>;
};

const firstOf = async <T>(rows: Promise<T[]>) => (await rows)[0] ?? null;

const kinds: Record<CommentSubjectKind, SubjectKindRules> = {
  customer: {
    permission: 'customers.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({ label: customers.name, path: sql<string>`'/customers/' || ${customers.id}` })
          .from(customers)
          .where(eq(customers.id, id)),
      ),
  },
  template: {
    permission: 'templates.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({ label: templates.name, path: sql<string>`'/templates/' || ${templates.key}` })
          .from(templates)
          .where(eq(templates.id, id)),
      ),
  },
  document: {
    permission: 'documents.read',
    // Folder and document grants decide too: a document the actor may not read is one that is not there.
    find: (executor, id, actor, grants) =>
      firstOf(
        executor
          .select({ label: documents.title, path: sql<string>`'/documents/' || ${documents.id}` })
          .from(documents)
          .where(and(eq(documents.id, id), readableDocuments(actor, documents.id, grants))),
      ),
  },
  ticket: {
    permission: 'tickets.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({
            label: sql<string>`'Ticket ' || ${tickets.number} || ': ' || ${tickets.subject}`,
            path: sql<string>`'/tickets/' || ${tickets.id}`,
          })
          .from(tickets)
          .where(eq(tickets.id, id)),
      ),
  },
  goal: {
    permission: 'insights.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({ label: sql<string>`'Goal: ' || ${goals.name}`, path: sql<string>`'/insights'` })
          .from(goals)
          .where(eq(goals.id, id)),
      ),
  },
  suggestion: {
    permission: 'suggestions.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({
            label: sql<string>`'Suggestion: ' || ${suggestions.title}`,
            path: sql<string>`'/suggestions/' || ${suggestions.id}`,
          })
          .from(suggestions)
          .where(eq(suggestions.id, id)),
      ),
  },
  announcement: {
    permission: 'announcements.read',
    find: (executor, id) =>
      firstOf(
        executor
          .select({
            label: sql<string>`'Announcement: ' || ${announcements.title}`,
            path: sql<string>`'/announcements/' || ${announcements.id}`,
          })
          .from(announcements)
          .where(eq(announcements.id, id)),
      ),
  },
};

export type CommentSubjects = ReturnType<typeof createCommentSubjects>;

/** The kinds of record comments may be on, each read as its owning domain's permission says. */
export function createCommentSubjects({ grants }: { grants: GrantPresence }) {
  return {
    /** Whether the actor's role reads this kind of record at all. */
    mayRead: (actor: Actor, kind: CommentSubjectKind) => can(actor, kinds[kind].permission),

    /** Whether the actor may read this very record (a document's grants included). */
    async mayReadRecord(executor: Executor, actor: Actor, subject: Subject) {
      const rules = kinds[subject.kind];
      return can(actor, rules.permission) && (await rules.find(executor, subject.id, actor, grants)) !== null;
    },

    /** The record, when the actor may read it: a 403 for a kind they do not read, a 404 for none. */
    async readable(executor: Executor, actor: Actor, subject: Subject): Promise<SubjectView> {
      const rules = kinds[subject.kind];
      if (!can(actor, rules.permission))
        throw new AppError('forbidden', 'comments.subject_forbidden', `You may not read this ${subject.kind}.`);
      const found = await rules.find(executor, subject.id, actor, grants);
      if (!found)
        throw new AppError('not_found', 'comments.subject_not_found', `There is no ${subject.kind} ${subject.id}.`);
      return found;
    },
  };
}
