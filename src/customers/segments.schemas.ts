import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { customerSummaryResponse } from './customers.schemas.js';
import { attributeDefinitions, attributeTypes, segments } from './customers.tables.js';
import { segmentFilterSchema } from './segment-filter.js';

export const segmentResponse = createSelectSchema(segments)
  .pick({ id: true, name: true, description: true, createdBy: true, createdAt: true, updatedAt: true })
  .extend({ filter: z.record(z.string(), z.unknown()) })
  .describe('Segment');

export const segmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  filter: segmentFilterSchema,
});

export type SegmentInput = z.infer<typeof segmentBody>;

export const evaluateSegmentBody = z.strictObject({ filter: segmentFilterSchema });

export const evaluationResponse = z
  .object({
    count: z.number().int(),
    estimated: z
      .boolean()
      .describe('True when the count is estimated from a sample (above 10,000 matches): show it as "about"'),
    preview: z.array(customerSummaryResponse),
  })
  .describe('SegmentEvaluation');

export const segmentWithEvaluationResponse = segmentResponse.extend(evaluationResponse.shape);

export const attributeResponse = createSelectSchema(attributeDefinitions)
  .pick({ key: true, label: true, choices: true })
  .extend({ type: z.enum(attributeTypes) })
  .describe('AttributeDefinition');

export const attributeKeyParam = z.strictObject({ key: z.string().max(40) });
