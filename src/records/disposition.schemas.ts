import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import {
  dispositionBatches,
  dispositionBatchStatuses,
  dispositionItems,
  dispositionItemStatuses,
  dispositionObjectTypes,
} from './records.tables.js';

export const listBatchesQuery = z.strictObject({
  status: z.enum(dispositionBatchStatuses).optional(),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

export const listItemsQuery = z.strictObject({
  status: z.enum(dispositionItemStatuses).optional(),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListItemsQuery = z.infer<typeof listItemsQuery>;

export const excludeBody = z.strictObject({
  objectType: z.enum(dispositionObjectTypes),
  objectId: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2_000)
    .describe('Why it is kept; it stays out of disposition until its retention is set anew'),
});

export const certificateQuery = z.strictObject({ format: z.enum(['json', 'pdf']).default('json') });

export const batchResponse = createSelectSchema(dispositionBatches)
  .pick({ id: true, number: true, listedOn: true, createdAt: true, approvedByLabel: true, approvedAt: true })
  .extend({
    status: z.enum(dispositionBatchStatuses),
    counts: z.object({
      listed: z.number().int(),
      excluded: z.number().int(),
      held: z.number().int(),
      destroyed: z.number().int(),
    }),
  })
  .describe('DispositionBatch');

export const batchesPageResponse = z.object({ batches: z.array(batchResponse), nextCursor });

const destroyedContent = z.object({
  sha256: z.string(),
  size: z.number(),
  blobDeleted: z.boolean().describe('False when another live object shares the bytes, which then stay'),
  sharedWith: z.array(z.string()),
});

export const itemResponse = createSelectSchema(dispositionItems)
  .pick({
    objectId: true,
    title: true,
    categoryName: true,
    createdAt: true,
    retainUntil: true,
    reason: true,
    decidedAt: true,
    decidedByLabel: true,
  })
  .extend({
    objectType: z.enum(dispositionObjectTypes),
    status: z.enum(dispositionItemStatuses),
    heldBy: z.array(z.object({ id: z.uuid(), matter: z.string() })).nullable(),
    destroyed: z.array(destroyedContent).nullable(),
  })
  .describe('DispositionItem');

export const itemsPageResponse = z.object({ items: z.array(itemResponse), nextCursor });
