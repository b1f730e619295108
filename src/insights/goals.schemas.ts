import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { goals } from './goals.tables.js';
import { appliedFilters, kpiFilters, kpiKey, kpiPoint } from './insights.schemas.js';
import { kpiBuckets, kpiUnits } from './kpis/kpi-definition.js';

const goalFields = {
  name: z.string().trim().min(1).max(200),
  kpiKey,
  filters: kpiFilters.default({}).describe('Narrows the KPI, as its query parameters do'),
  target: z.number().finite().describe("In the KPI's unit (percent as 0–100)"),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date().describe('The last day of the period, included'),
  ownerUserId: z.uuid().nullable().optional(),
  ownerTeamId: z.uuid().nullable().optional(),
  driver: z.string().trim().max(2000).default('').describe('The business driver the goal serves'),
  parentId: z.uuid().nullable().optional().describe('The goal this one rolls up to'),
};

export const createGoalBody = z.strictObject(goalFields);
export type CreateGoalInput = z.infer<typeof createGoalBody>;

export const updateGoalBody = z.strictObject({
  name: goalFields.name.optional(),
  kpiKey: kpiKey.optional(),
  filters: kpiFilters.optional(),
  target: goalFields.target.optional(),
  periodStart: goalFields.periodStart.optional(),
  periodEnd: goalFields.periodEnd.optional(),
  ownerUserId: goalFields.ownerUserId,
  ownerTeamId: goalFields.ownerTeamId,
  driver: z.string().trim().max(2000).optional(),
  parentId: goalFields.parentId,
});
export type UpdateGoalInput = z.infer<typeof updateGoalBody>;

export const goalsQuery = z.strictObject({
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Only goals owned by me or by one of my teams'),
});

export const goalProgress = z
  .object({
    value: z.number().nullable().describe('The KPI over the period so far'),
    fraction: z.number().nullable().describe('How far toward the target, 0 to 1'),
    attained: z.boolean().nullable(),
    unit: z.enum(kpiUnits),
    higherIsBetter: z.boolean(),
    kpiName: z.string(),
    bucket: z.enum(kpiBuckets),
    points: z.array(kpiPoint),
  })
  .describe('GoalProgress');

export const goalResponse = createSelectSchema(goals)
  .omit({ filters: true })
  .extend({
    filters: appliedFilters,
    ownerName: z.string().nullable().describe('The owning person or team'),
    progress: goalProgress,
  })
  .describe('Goal');

export const goalDetailResponse = goalResponse.extend({ children: z.array(goalResponse) }).describe('GoalWithChildren');

export const goalsResponse = z.object({ goals: z.array(goalResponse) });
