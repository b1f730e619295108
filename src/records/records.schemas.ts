import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { documentStatuses } from '../documents/documents.tables.js';
import { documentRecords, recordCategories, retentionTriggers } from './records.tables.js';
import { isCalendarDate } from './retention.js';

export const calendarDate = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date as YYYY-MM-DD')
  .meta({ type: 'string', format: 'date' });

const categoryFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2_000),
  trigger: z
    .enum(retentionTriggers)
    .describe(
      "creation: N years from the record's creation; event: N years from an event date; permanent: kept for good",
    ),
  years: z.number().int().min(0).max(200).nullable().describe('Null exactly when permanent'),
  eventField: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .nullable()
    .describe('For an event trigger: the metadata field (a date) the event is read from; else set by hand per record'),
};

export const createCategoryBody = z.strictObject({
  ...categoryFields,
  description: categoryFields.description.default(''),
  years: categoryFields.years.default(null),
  eventField: categoryFields.eventField.default(null),
});
export type CreateCategoryInput = z.infer<typeof createCategoryBody>;

export const updateCategoryBody = z.strictObject(categoryFields).partial();
export type UpdateCategoryInput = z.infer<typeof updateCategoryBody>;

export const categoryResponse = createSelectSchema(recordCategories)
  .pick({ id: true, name: true, description: true, years: true, eventField: true, builtIn: true, createdAt: true })
  .extend({
    trigger: z.enum(retentionTriggers),
    records: z.number().int().describe('Records in it now (for the built-in one: archived communications)'),
  })
  .describe('RecordCategory');

export const declareBody = z.strictObject({
  categoryId: z.uuid(),
  eventDate: calendarDate
    .nullable()
    .default(null)
    .describe('The event retention counts from, when the category has one'),
});
export type DeclareInput = z.infer<typeof declareBody>;

export const eventDateBody = z.strictObject({ eventDate: calendarDate.nullable() });

const recordColumns = createSelectSchema(documentRecords).pick({
  eventDate: true,
  retainUntil: true,
  declaredByLabel: true,
  declaredAt: true,
});

export const documentRecordResponse = z
  .object({
    status: z.enum(documentStatuses),
    record: recordColumns
      .extend({
        category: z.object({
          id: z.uuid(),
          name: z.string(),
          trigger: z.enum(retentionTriggers),
          years: z.number().nullable(),
        }),
      })
      .nullable(),
    held: z.boolean().describe('Whether an active legal hold covers it'),
    holds: z.array(z.object({ id: z.uuid(), matter: z.string() })).describe('The holds, for those who may read them'),
    disposal: z
      .object({ batchId: z.uuid(), batchNumber: z.number().int(), approvedAt: z.date().nullable() })
      .nullable()
      .describe('The disposition batch that destroyed its content'),
  })
  .describe('DocumentRecordStatus');

export const listRecordsQuery = z.strictObject({
  categoryId: z.uuid(),
  cursor: cursorParam,
  limit: pageSize,
});
export type ListRecordsQuery = z.infer<typeof listRecordsQuery>;

export const recordsPageResponse = z.object({
  records: z.array(
    z.object({
      type: z.enum(['document', 'communication']),
      id: z.uuid(),
      title: z.string(),
      createdAt: z.date(),
      retainUntil: z.string().nullable(),
      status: z.string(),
    }),
  ),
  nextCursor,
});
