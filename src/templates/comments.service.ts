import { and, asc, eq, isNull } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { versionComments } from './templates.tables.js';

type Subject = { type: 'template_version' | 'fragment_version'; versionId: string };

export type CommentsService = ReturnType<typeof createCommentsService>;

/** Review comments on a version: threaded by reply, resolved when dealt with. */
export function createCommentsService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  return {
    async list(actor: Actor, subject: Subject) {
      authorize(actor, 'templates.read');
      const all = await db
        .select()
        .from(versionComments)
        .where(and(eq(versionComments.subjectType, subject.type), eq(versionComments.versionId, subject.versionId)))
        .orderBy(asc(versionComments.createdAt));
      const roots = all.filter((comment) => !comment.parentId);
      return roots.map((root) => ({ ...root, replies: all.filter((comment) => comment.parentId === root.id) }));
    },

    async add(actor: Actor, subject: Subject, input: { body: string; parentId?: string; anchor?: string }) {
      authorize(actor, 'templates.comment');
      return db.transaction(async (tx) => {
        if (input.parentId) {
          const [parent] = await tx
            .select()
            .from(versionComments)
            .where(
              and(
                eq(versionComments.id, input.parentId),
                eq(versionComments.versionId, subject.versionId),
                isNull(versionComments.parentId),
              ),
            );
          if (!parent)
            throw new AppError(
              'validation_failed',
              'comment.unknown_parent',
              'You can only reply to a comment on this version.',
              [{ path: 'body.parentId', message: 'is not a comment on this version' }],
            );
        }
        const [comment] = await tx
          .insert(versionComments)
          .values({
            subjectType: subject.type,
            versionId: subject.versionId,
            ...input,
            authorId: actor.kind === 'user' ? actor.userId : null,
            author: actorLabel(actor),
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'comment.added',
          entityType: subject.type,
          entityId: subject.versionId,
          summary: { commentId: comment!.id, anchor: input.anchor ?? null },
        });
        return comment!;
      });
    },

    async setResolved(actor: Actor, commentId: string, resolved: boolean) {
      authorize(actor, 'templates.comment');
      return db.transaction(async (tx) => {
        const [comment] = await tx
          .update(versionComments)
          .set({ resolvedAt: resolved ? clock.now() : null, resolvedBy: resolved ? actorLabel(actor) : null })
          .where(eq(versionComments.id, commentId))
          .returning();
        if (!comment) throw notFound('comment', commentId);
        await audit.record(tx, actor, {
          action: resolved ? 'comment.resolved' : 'comment.reopened',
          entityType: comment.subjectType,
          entityId: comment.versionId,
          summary: { commentId },
        });
        return comment;
      });
    },
  };
}
