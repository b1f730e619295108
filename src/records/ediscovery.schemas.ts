import { z } from 'zod';
import { exportStatuses } from './records.tables.js';

const itemType = z.enum(['document', 'communication', 'ticket']);

export const candidatesQuery = z.strictObject({
  type: itemType,
  q: z.string().trim().min(1).max(200).optional().describe('Narrows by title, subject or customer name'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CandidatesQuery = z.infer<typeof candidatesQuery>;

export const candidatesResponse = z.object({
  type: itemType,
  total: z.number().int().describe('How many of this type the hold covers'),
  items: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.string(), createdAt: z.date() })),
});

export const exportBody = z.strictObject({
  items: z
    .array(z.strictObject({ type: itemType, id: z.uuid() }))
    .min(1)
    .max(100_000)
    .optional()
    .describe("The chosen items, each in the hold's scope; everything it covers when left out"),
});
export type ExportInput = z.infer<typeof exportBody>;

export const exportResponse = z
  .object({
    id: z.uuid(),
    holdId: z.uuid(),
    status: z.enum(exportStatuses),
    itemsTotal: z.number().int(),
    itemsDone: z.number().int().describe('Items written into the ZIP so far'),
    zipSha256: z.string().nullable(),
    zipSize: z.number().nullable(),
    error: z.string().nullable(),
    requestedByLabel: z.string(),
    createdAt: z.date(),
    finishedAt: z.date().nullable(),
  })
  .describe('EdiscoveryExport');
