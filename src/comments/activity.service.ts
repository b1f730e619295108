import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import { readableDocuments } from '../documents/access/document-access.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import type { CommentSubjects, Subject, SubjectView } from './comment-subjects.js';
import { commentSubjectKinds, recordActivity, recordFollows } from './comments.tables.js';

const newestFirst = keyset(
  [
    { expression: recordActivity.createdAt, type: 'timestamptz' },
    { expression: recordActivity.id, type: 'uuid' },
  ],
  'desc',
);

/** The feed and following belong to a signed-in staff member. */
export const staffOnly = (actor: Actor) => {
  if (actor.kind !== 'user')
    throw new AppError(
      'forbidden',
      'comments.staff_only',
      'Following and the feed belong to a signed-in staff member.',
    );
  return actor.userId;
};

/** The name an event or comment shows for whoever made it. */
export async function actorName(executor: Executor, actor: Actor): Promise<string> {
  if (actor.kind !== 'user') return actor.label;
  const [user] = await executor.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
  return user?.name ?? actor.email;
}

export type ActivityEvent = { kind: string; summary: string; commentId?: string };

export type Activity = ReturnType<typeof createActivity>;

/**
 * Who follows which record and what happened on it. Domains record events in the transaction of
 * the change (a comment, a suggestion's new status); each follower's feed reads them newest first.
 */
export function createActivity({
  db,
  clock,
  subjects,
  grants,
}: {
  db: Database;
  clock: Clock;
  grants: GrantPresence;
  subjects: Pick<CommentSubjects, 'readable' | 'mayRead'>;
}) {
  return {
    async record(tx: Executor, actor: Actor, subject: Subject, view: SubjectView, event: ActivityEvent) {
      await tx.insert(recordActivity).values({
        subjectKind: subject.kind,
        subjectId: subject.id,
        subjectLabel: view.label,
        subjectPath: view.path,
        kind: event.kind,
        actorId: actor.kind === 'user' ? actor.userId : null,
        actorName: await actorName(tx, actor),
        summary: event.summary,
        commentId: event.commentId ?? null,
        createdAt: clock.now(),
      });
    },

    /** These staff follow the record from now on (those who already do stay as they were). */
    async follow(tx: Executor, userIds: readonly string[], subject: Subject) {
      const followers = [...new Set(userIds)];
      if (followers.length === 0) return;
      await tx
        .insert(recordFollows)
        .values(
          followers.map((userId) => ({
            userId,
            subjectKind: subject.kind,
            subjectId: subject.id,
            createdAt: clock.now(),
          })),
        )
        .onConflictDoNothing();
    },

    async isFollowing(actor: Actor, subject: Subject) {
      const userId = staffOnly(actor);
      await subjects.readable(db, actor, subject);
      const [row] = await db
        .select({ userId: recordFollows.userId })
        .from(recordFollows)
        .where(
          and(
            eq(recordFollows.userId, userId),
            eq(recordFollows.subjectKind, subject.kind),
            eq(recordFollows.subjectId, subject.id),
          ),
        );
      return { following: row !== undefined };
    },

    /** Follows or stops following a record the actor may read; saying the same twice changes nothing. */
    async setFollowing(actor: Actor, subject: Subject, following: boolean) {
      const userId = staffOnly(actor);
      await subjects.readable(db, actor, subject);
      if (following) await this.follow(db, [userId], subject);
      else
        await db
          .delete(recordFollows)
          .where(
            and(
              eq(recordFollows.userId, userId),
              eq(recordFollows.subjectKind, subject.kind),
              eq(recordFollows.subjectId, subject.id),
            ),
          );
      return { following };
    },

    /**
     * What others did on the records I follow, newest first, among the records I may still read (a
     * role or document grant taken away takes its records out of the feed).
     */
    async feed(actor: Actor, options: { cursor?: string; limit: number }) {
      const userId = staffOnly(actor);
      const kinds = commentSubjectKinds.filter((kind) => subjects.mayRead(actor, kind));
      if (kinds.length === 0) return { events: [], nextCursor: null };
      const rows = await db
        .select({
          id: recordActivity.id,
          subjectKind: recordActivity.subjectKind,
          subjectId: recordActivity.subjectId,
          subjectLabel: recordActivity.subjectLabel,
          subjectPath: recordActivity.subjectPath,
          kind: recordActivity.kind,
          actorName: recordActivity.actorName,
          summary: recordActivity.summary,
          createdAt: recordActivity.createdAt,
          position: newestFirst.position,
        })
        .from(recordActivity)
        .innerJoin(
          recordFollows,
          and(
            eq(recordFollows.subjectKind, recordActivity.subjectKind),
            eq(recordFollows.subjectId, recordActivity.subjectId),
            eq(recordFollows.userId, userId),
          ),
        )
        .where(
          and(
            inArray(recordActivity.subjectKind, kinds),
            // Documents are read by grant, one by one.
            or(ne(recordActivity.subjectKind, 'document'), readableDocuments(actor, recordActivity.subjectId, grants)),
            or(sql`${recordActivity.actorId} is null`, ne(recordActivity.actorId, userId)),
            newestFirst.after(options.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(options.limit + 1);
      const page = newestFirst.page(rows, options.limit);
      return { events: page.rows, nextCursor: page.nextCursor };
    },
  };
}
