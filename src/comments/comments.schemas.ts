import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { commentSubjectKinds, recordActivity, recordComments } from './comments.tables.js';

export const subjectKind = z.enum(commentSubjectKinds).describe('The kind of record');

export const subjectSchema = z.strictObject({ kind: subjectKind, id: z.uuid() }).describe('CommentSubject');

/** Plain text; @mentions in it (an email, or the part of it before the @) notify those colleagues. */
const commentBody = z.string().trim().min(1).max(10_000);

export const addCommentBody = z.strictObject({ subject: subjectSchema, body: commentBody });
export type AddCommentInput = z.infer<typeof addCommentBody>;

export const editCommentBody = z.strictObject({ body: commentBody });

export const commentsQuery = z.strictObject({
  kind: subjectKind,
  id: z.uuid(),
  cursor: cursorParam,
  limit: pageSize,
});

export const commentResponse = createSelectSchema(recordComments)
  .pick({ id: true, subjectKind: true, subjectId: true, body: true, authorId: true, createdAt: true, editedAt: true })
  .extend({
    authorName: z.string(),
    mentioned: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('The colleagues its @mentions named'),
    mine: z.boolean().describe('Written by the caller, who may edit or delete it'),
  })
  .describe('RecordComment');

export const commentsResponse = z.object({ comments: z.array(commentResponse), nextCursor });

export const followParams = z.strictObject({ kind: subjectKind, id: z.uuid() });

export const followResponse = z.object({ following: z.boolean() });

export const feedQuery = z.strictObject({ cursor: cursorParam, limit: pageSize });

export const activityResponse = createSelectSchema(recordActivity)
  .pick({
    id: true,
    subjectKind: true,
    subjectId: true,
    subjectLabel: true,
    subjectPath: true,
    kind: true,
    actorName: true,
    summary: true,
    createdAt: true,
  })
  .describe('ActivityEvent');

export const feedResponse = z.object({ events: z.array(activityResponse), nextCursor });
