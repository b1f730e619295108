import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { heldObjectTypes, legalHolds, legalHoldScopes } from './legal-holds.tables.js';

const matter = z.string().trim().min(1).max(200);
const description = z.string().trim().max(5_000);
const reason = z.string().trim().min(1).max(2_000);

/** One object a hold names. A saved-search line joins these once the search domain can answer it. */
export const scopeLine = z.strictObject({
  kind: z.enum(heldObjectTypes).describe('A customer holds their communications, tickets and linked documents too'),
  targetId: z.uuid(),
});
export type ScopeLine = z.infer<typeof scopeLine>;

export const placeHoldBody = z.strictObject({
  matter: matter.describe('The matter the hold is for, e.g. "Smith v. Tidings GmbH"'),
  description: description.default(''),
  scope: z.array(scopeLine).max(500).default([]),
});
export type PlaceHoldInput = z.infer<typeof placeHoldBody>;

export const addScopeBody = z.strictObject({ scope: z.array(scopeLine).min(1).max(500) });

export const releaseHoldBody = z.strictObject({
  reason: reason.describe('Why the hold ends; kept with the hold and audited'),
});

export const holdStatuses = ['active', 'released'] as const;

export const listHoldsQuery = z.strictObject({
  status: z.enum([...holdStatuses, 'all']).default('all'),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListHoldsQuery = z.infer<typeof listHoldsQuery>;

export const coveringQuery = z.strictObject({ type: z.enum(heldObjectTypes), id: z.uuid() });

const holdColumns = createSelectSchema(legalHolds).pick({
  id: true,
  matter: true,
  description: true,
  placedByLabel: true,
  placedAt: true,
  releasedByLabel: true,
  releasedAt: true,
  releaseReason: true,
});

export const holdSummaryResponse = holdColumns
  .extend({
    status: z.enum(holdStatuses),
    covered: z
      .object({
        customers: z.number().int(),
        documents: z.number().int(),
        tickets: z.number().int(),
        communications: z.number().int(),
      })
      .describe('How many objects of each type the scope covers now'),
  })
  .describe('LegalHoldSummary');

export const holdResponse = holdSummaryResponse
  .extend({
    scope: z.array(
      createSelectSchema(legalHoldScopes)
        .pick({ id: true, addedAt: true })
        .extend({
          kind: z.enum(heldObjectTypes),
          targetId: z.uuid(),
          label: z.string().describe('What it names, in words'),
        }),
    ),
  })
  .describe('LegalHold');

export const holdsPageResponse = z.object({ holds: z.array(holdSummaryResponse), nextCursor });

export const coveringResponse = z.object({
  holds: z.array(z.object({ id: z.uuid(), matter: z.string() })).describe('Active holds covering the object'),
});
