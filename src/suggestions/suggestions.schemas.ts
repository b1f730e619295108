import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { suggestionLinkKinds, suggestions, suggestionStatuses } from './suggestions.tables.js';

export const suggestionStatus = z.enum(suggestionStatuses);

const linkInput = z
  .strictObject({
    kind: z.enum(suggestionLinkKinds),
    id: z.string().trim().min(1).max(100).describe("A queue's or template's id, a workflow's or KPI's key"),
  })
  .describe('What the suggestion is about');

export const createSuggestionBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().max(10_000).default('').describe('What should change, and why'),
  link: linkInput.nullable().optional(),
});
export type CreateSuggestionInput = z.infer<typeof createSuggestionBody>;

export const suggestionStatusBody = z.strictObject({
  status: suggestionStatus,
  reason: z.string().trim().min(1).max(2000).describe('Why: the author is told it with the new status'),
});
export type SuggestionStatusInput = z.infer<typeof suggestionStatusBody>;

export const suggestionsQuery = z.strictObject({
  status: suggestionStatus.optional(),
  sort: z.enum(['votes', 'newest']).default('votes').describe('Most votes first, or newest first'),
  cursor: cursorParam,
  limit: pageSize,
});
export type SuggestionsQuery = z.infer<typeof suggestionsQuery>;

export const suggestionResponse = createSelectSchema(suggestions)
  .pick({
    id: true,
    title: true,
    body: true,
    authorId: true,
    status: true,
    statusReason: true,
    statusChangedAt: true,
    votes: true,
    createdAt: true,
    updatedAt: true,
  })
  .extend({
    authorName: z.string(),
    statusChangedByName: z.string().nullable(),
    votedByMe: z.boolean(),
    link: z
      .object({
        kind: z.enum(suggestionLinkKinds),
        id: z.string(),
        label: z.string().nullable().describe('Null when what it named is gone'),
      })
      .nullable(),
    nextStatuses: z.array(suggestionStatus).describe('Where an owner may move it from here'),
  })
  .describe('Suggestion');

export const suggestionsResponse = z.object({ suggestions: z.array(suggestionResponse), nextCursor });

const linkOption = z.object({ id: z.string(), name: z.string() });

export const linkOptionsResponse = z.object({
  queue: z.array(linkOption),
  template: z.array(linkOption),
  workflow: z.array(linkOption),
  kpi: z.array(linkOption),
});
