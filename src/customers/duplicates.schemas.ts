import { z } from 'zod';
import { customerResponse, customerSummaryResponse } from './customers.schemas.js';

const customerPair = z.tuple([z.uuid(), z.uuid()]);

export const duplicatesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const duplicatePairsResponse = z.object({
  pairs: z.array(
    z
      .object({ customerIds: customerPair, reasons: z.array(z.string()), customers: z.array(customerSummaryResponse) })
      .describe('DuplicatePair'),
  ),
});

export const dismissBody = z.strictObject({ customerIds: customerPair });

export const mergeBody = z.strictObject({
  otherId: z.uuid().describe('The customer merged into this one; it is archived as merged'),
});

const moves = z.array(z.object({ label: z.string(), count: z.number().int() }));

export const mergePreviewResponse = z
  .object({ survivor: customerResponse, other: customerResponse, result: z.record(z.string(), z.unknown()), moves })
  .describe('MergePreview');

export const mergeResponse = z
  .object({ customer: customerResponse, moved: z.record(z.string(), z.number().int()) })
  .describe('MergeOutcome');
