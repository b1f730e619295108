import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Database, Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { NotificationSettingsService } from '../notifications/notification-settings.service.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError } from '../shared/errors.js';
import { users } from '../users/users.tables.js';
import { actorName, type Activity } from './activity.service.js';
import type { CommentSubjects, Subject, SubjectView } from './comment-subjects.js';
import type { AddCommentInput } from './comments.schemas.js';
import { recordActivity, recordComments } from './comments.tables.js';
import { MENTION_EMAIL_JOB } from './mention-email.js';
import { asActor, mentionHandles, resolveMentions, type MentionedUser } from './mentions.js';

type CommentRow = typeof recordComments.$inferSelect;

const oldestFirst = keyset(
  [
    { expression: recordComments.createdAt, type: 'timestamptz' },
    { expression: recordComments.id, type: 'uuid' },
  ],
  'asc',
);

/** What a notice and the feed quote of a comment. */
export const excerpt = (body: string, length = 280) => (body.length > length ? `${body.slice(0, length - 1)}…` : body);

const commentNotFound = (id: string) => new AppError('not_found', 'comments.not_found', `There is no comment ${id}.`);

export type RecordCommentsService = ReturnType<typeof createRecordCommentsService>;

/**
 * Comments on any record. Reading and writing them needs read permission on the record
 * (comment-subjects.ts); @mentions notify the colleagues they name, in the workspace and, when
 * they asked for it, by email; writing or being mentioned follows the record.
 */
export function createRecordCommentsService({
  db,
  audit,
  clock,
  subjects,
  activity,
  notifications,
  settings,
  queue,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  subjects: Pick<CommentSubjects, 'readable' | 'mayReadRecord'>;
  activity: Pick<Activity, 'record' | 'follow'>;
  notifications: Pick<NotificationsService, 'notify'>;
  settings: Pick<NotificationSettingsService, 'wantingMentionEmail'>;
  queue: Pick<JobQueue, 'enqueue'>;
}) {
  /** The comments with their authors' and mentioned colleagues' names, as the response shows them. */
  async function present(executor: Executor, actor: Actor, rows: CommentRow[]) {
    const ids = [...new Set(rows.flatMap((row) => [...row.mentions, ...(row.authorId ? [row.authorId] : [])]))];
    const names = new Map(
      ids.length === 0
        ? []
        : (await executor.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map(
            (user) => [user.id, user.name],
          ),
    );
    return rows.map(({ mentions, ...row }) => ({
      ...row,
      authorName: row.authorId ? (names.get(row.authorId) ?? 'A former colleague') : 'Tidings',
      mentioned: mentions.flatMap((id) => (names.has(id) ? [{ id, name: names.get(id)! }] : [])),
      mine: actor.kind === 'user' && row.authorId === actor.userId,
    }));
  }

  /** The colleagues a text mentions, each of whom must be able to read the record. */
  async function mentionsIn(executor: Executor, subject: Subject, body: string) {
    const mentioned = await resolveMentions(executor, mentionHandles(body));
    const blind: MentionedUser[] = [];
    for (const user of mentioned)
      if (!(await subjects.mayReadRecord(executor, asActor(user), subject))) blind.push(user);
    if (blind.length > 0)
      throw new AppError(
        'validation_failed',
        'comments.mention_cannot_read',
        `${blind[0]!.name} cannot read this ${subject.kind}, so a mention would not reach them.`,
        blind.map((user) => ({
          path: 'body.body',
          message: `mentions ${user.email}, who cannot read this ${subject.kind}`,
        })),
      );
    return mentioned;
  }

  /** Tells the newly mentioned (never the author) in the workspace, by email when they want it, and has them follow. */
  async function tellMentioned(
    tx: Executor,
    actor: Actor,
    comment: CommentRow,
    view: SubjectView,
    mentioned: MentionedUser[],
  ) {
    const told = mentioned.map((user) => user.id).filter((id) => actor.kind !== 'user' || id !== actor.userId);
    if (told.length === 0) return;
    const subject = { kind: comment.subjectKind, id: comment.subjectId };
    await notifications.notify(tx, told, {
      kind: 'comment.mention',
      title: `${await actorName(tx, actor)} mentioned you on ${view.label}`,
      body: excerpt(comment.body),
      subjectType: subject.kind,
      subjectId: subject.id,
    });
    await activity.follow(tx, told, subject);
    for (const userId of await settings.wantingMentionEmail(tx, told))
      await queue.enqueue(tx, {
        kind: MENTION_EMAIL_JOB,
        payload: { commentId: comment.id, userId },
        // One email per person per comment, however often it is edited.
        idempotencyKey: `mention-email:${comment.id}:${userId}`,
      });
  }

  async function ownComment(tx: Executor, actor: Actor, id: string) {
    const [comment] = await tx.select().from(recordComments).where(eq(recordComments.id, id)).for('update');
    if (!comment) throw commentNotFound(id);
    const view = await subjects.readable(tx, actor, { kind: comment.subjectKind, id: comment.subjectId });
    if (actor.kind !== 'user' || comment.authorId !== actor.userId)
      throw new AppError('forbidden', 'comments.not_yours', 'Only its author may change or delete a comment.');
    return { comment, view };
  }

  return {
    /** The comments on a record, oldest first, so a conversation reads from the top. */
    async list(actor: Actor, subject: Subject, options: { cursor?: string; limit: number }) {
      await subjects.readable(db, actor, subject);
      const rows = await db
        .select({ comment: recordComments, position: oldestFirst.position })
        .from(recordComments)
        .where(
          and(
            eq(recordComments.subjectKind, subject.kind),
            eq(recordComments.subjectId, subject.id),
            oldestFirst.after(options.cursor),
          ),
        )
        .orderBy(...oldestFirst.orderBy)
        .limit(options.limit + 1);
      const page = oldestFirst.page(rows, options.limit);
      return {
        comments: await present(
          db,
          actor,
          page.rows.map((row) => row.comment),
        ),
        nextCursor: page.nextCursor,
      };
    },

    async add(actor: Actor, input: AddCommentInput) {
      const { subject, body } = input;
      const comment = await db.transaction(async (tx) => {
        const view = await subjects.readable(tx, actor, subject);
        const mentioned = await mentionsIn(tx, subject, body);
        const [created] = await tx
          .insert(recordComments)
          .values({
            subjectKind: subject.kind,
            subjectId: subject.id,
            authorId: actor.kind === 'user' ? actor.userId : null,
            body,
            mentions: mentioned.map((user) => user.id),
            createdAt: clock.now(),
          })
          .returning();
        await activity.record(tx, actor, subject, view, {
          kind: 'comment',
          summary: excerpt(body),
          commentId: created!.id,
        });
        if (actor.kind === 'user') await activity.follow(tx, [actor.userId], subject);
        await tellMentioned(tx, actor, created!, view, mentioned);
        await audit.record(tx, actor, {
          action: 'comment.added',
          entityType: 'comment',
          entityId: created!.id,
          summary: { subjectKind: subject.kind, subjectId: subject.id, mentions: mentioned.map((user) => user.email) },
        });
        return created!;
      });
      const [shown] = await present(db, actor, [comment]);
      return shown!;
    },

    /** The author changes the text; colleagues it now mentions for the first time are told. */
    async edit(actor: Actor, id: string, body: string) {
      const comment = await db.transaction(async (tx) => {
        const { comment: before, view } = await ownComment(tx, actor, id);
        const subject = { kind: before.subjectKind, id: before.subjectId };
        const mentioned = await mentionsIn(tx, subject, body);
        const [edited] = await tx
          .update(recordComments)
          .set({ body, mentions: mentioned.map((user) => user.id), editedAt: clock.now() })
          .where(eq(recordComments.id, id))
          .returning();
        await tx
          .update(recordActivity)
          .set({ summary: excerpt(body) })
          .where(eq(recordActivity.commentId, id));
        await tellMentioned(
          tx,
          actor,
          edited!,
          view,
          mentioned.filter((user) => !before.mentions.includes(user.id)),
        );
        await audit.record(tx, actor, {
          action: 'comment.edited',
          entityType: 'comment',
          entityId: id,
          summary: { subjectKind: subject.kind, subjectId: subject.id, before: before.body, after: body },
        });
        return edited!;
      });
      const [shown] = await present(db, actor, [comment]);
      return shown!;
    },

    /** The author takes a comment back; its feed event goes with it, the audit trail keeps what it said. */
    async remove(actor: Actor, id: string) {
      await db.transaction(async (tx) => {
        const { comment } = await ownComment(tx, actor, id);
        await tx.delete(recordComments).where(eq(recordComments.id, id));
        await audit.record(tx, actor, {
          action: 'comment.deleted',
          entityType: 'comment',
          entityId: id,
          summary: { subjectKind: comment.subjectKind, subjectId: comment.subjectId, body: comment.body },
        });
      });
    },

    /** A comment with what a mention email says of it, for the email job; null once deleted. */
    async forMentionEmail(commentId: string, userId: string) {
      const [row] = await db
        .select({
          body: recordComments.body,
          mentions: recordComments.mentions,
          subjectLabel: recordActivity.subjectLabel,
          subjectPath: recordActivity.subjectPath,
          authorName: recordActivity.actorName,
          recipientEmail: sql<string>`(select ${users.email} from ${users} where ${users.id} = ${userId} and ${users.active})`,
          recipientName: sql<string>`(select ${users.name} from ${users} where ${users.id} = ${userId})`,
        })
        .from(recordComments)
        .innerJoin(recordActivity, eq(recordActivity.commentId, recordComments.id))
        .where(eq(recordComments.id, commentId));
      if (!row || !row.mentions.includes(userId) || !row.recipientEmail) return null;
      return row;
    },
  };
}
