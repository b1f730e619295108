import { z } from 'zod';
import { roles } from '../../auth/roles.js';
import { reviewEventActions, reviewStatuses } from './review.tables.js';

export const submitReviewBody = z
  .strictObject({
    reviewerIds: z
      .array(z.uuid())
      .min(1)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'names a reviewer twice')
      .optional()
      .describe('Named reviewers: every one of them must approve'),
    role: z.enum(roles).optional().describe('Or a role: one member of it approving is enough'),
    message: z.string().trim().max(2_000).default('').describe('What the reviewers should look at'),
  })
  .superRefine((body, context) => {
    if ((body.reviewerIds === undefined) === (body.role === undefined))
      context.addIssue({
        code: 'custom',
        path: ['reviewerIds'],
        message: 'name reviewers or a role (one of the two)',
      });
  });
export type SubmitReviewInput = z.infer<typeof submitReviewBody>;

export const approveBody = z.strictObject({ comment: z.string().trim().max(2_000).default('') });
export const rejectBody = z.strictObject({
  comment: z.string().trim().min(1, 'say what must change').max(2_000).describe('What must change'),
});

const person = z.object({ id: z.uuid(), name: z.string() });

export const reviewActionsResponse = z.array(z.enum(['submit', 'approve', 'reject', 'publish']));

const roundResponse = z.object({
  id: z.uuid(),
  round: z.number().int().describe('1 for the first submission of this version, 2 after a rejection, …'),
  message: z.string(),
  reviewers: z.array(person).describe('The named reviewers; empty when asked of a role'),
  role: z.enum(roles).nullable(),
  submittedBy: person.nullable(),
  submittedAt: z.date(),
  approvedBy: z.array(person).describe('Who approved in this round so far'),
  waitingFor: z.array(person).describe('Named reviewers who have not decided yet'),
});

export const documentReviewResponse = z
  .object({
    documentId: z.uuid(),
    publishedVersion: z.string().nullable().describe('The version published as the document, if any'),
    versions: z
      .array(
        z.object({
          label: z.string(),
          status: z.enum(['draft', ...reviewStatuses]),
          current: z.boolean().describe("Whether this is the document's current version"),
          round: roundResponse.nullable().describe('The latest review round; null for a draft'),
          actions: reviewActionsResponse.describe('What the caller may do with this version now'),
        }),
      )
      .describe('Newest first'),
    history: z
      .array(
        z.object({
          version: z.string(),
          round: z.number().int(),
          action: z.enum(reviewEventActions),
          actor: z.object({ id: z.uuid().nullable(), name: z.string() }),
          comment: z.string(),
          at: z.date(),
        }),
      )
      .describe('Newest first'),
  })
  .describe('DocumentReview');

export const myReviewsResponse = z.object({
  reviews: z.array(
    z.object({
      reviewId: z.uuid(),
      document: z.object({ id: z.uuid(), title: z.string() }),
      version: z.string(),
      round: z.number().int(),
      message: z.string(),
      role: z.enum(roles).nullable(),
      submittedBy: person.nullable(),
      submittedAt: z.date(),
    }),
  ),
});

export const reviewersResponse = z.object({ reviewers: z.array(person) });
