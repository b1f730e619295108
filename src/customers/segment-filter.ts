import { and, arrayContains, arrayOverlaps, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { customerConsents, customerKinds, customers, lifecycleStages } from './customers.tables.js';
import { instant } from '../http/schemas.js';
import { channelSchema, purposeSchema } from './customers.schemas.js';

const attributeCondition = z
  .strictObject({
    key: z.string().min(1).max(40),
    op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
    value: z
      .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
      .optional()
      .describe('One string or number (a list for `in`; nothing for `exists`)'),
  })
  .superRefine((condition, context) => {
    // A list cannot be greater or less than one value (the database would fail on it).
    if (['gt', 'gte', 'lt', 'lte'].includes(condition.op) && Array.isArray(condition.value))
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `must be one string or number for ${condition.op}`,
      });
  });

/** A number as customers' attributes hold it as text; anything else never compares as one. */
const numericText = '^\\s*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$';

const dateRange = z.strictObject({ from: instant.optional(), to: instant.optional() });

/** A saved filter over customers; every part is optional and all given parts must hold. */
export const segmentFilterSchema = z.strictObject({
  kind: z.enum(customerKinds).optional(),
  lifecycle: z.array(z.enum(lifecycleStages)).optional(),
  tagsAll: z.array(z.string()).optional().describe('Customers with every one of these tags'),
  tagsAny: z.array(z.string()).optional().describe('Customers with at least one of these tags'),
  languages: z.array(z.string()).optional(),
  attributes: z.array(attributeCondition).max(20).optional(),
  consent: z
    .strictObject({ purpose: purposeSchema, channel: channelSchema })
    .optional()
    .describe('Customers who granted this consent'),
  created: dateRange.optional(),
  lastContacted: dateRange.optional(),
  includeArchived: z.boolean().optional(),
});

export type SegmentFilter = z.infer<typeof segmentFilterSchema>;

/**
 * A condition on one attribute. Every operator but `neq` (which a customer without the attribute
 * also meets) needs the key to be there, and says so with `?`: the attributes' GIN index then
 * hands over the few customers who have a rarely used attribute instead of a scan of them all.
 */
function attributeSql(condition: z.infer<typeof attributeCondition>): SQL {
  const field = sql`${customers.attributes} ->> ${condition.key}`;
  const value = condition.value;
  if (condition.op === 'neq') return sql`${field} is distinct from ${String(value)}`;
  const present = sql`${customers.attributes} ? ${condition.key}`;
  const numeric = typeof value === 'number';
  const typed = numeric ? sql`(case when ${field} ~ ${numericText} then (${field})::numeric end)` : field;
  switch (condition.op) {
    case 'exists':
      return present;
    case 'in':
      return sql`${present} and ${field} in (${sql.join(
        (Array.isArray(value) ? value : [value]).map((item) => sql`${String(item)}`),
        sql`, `,
      )})`;
    case 'eq':
      return sql`${present} and ${field} = ${String(value)}`;
    default: {
      const operator = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[condition.op];
      return sql`${present} and ${typed} ${sql.raw(operator)} ${value}`;
    }
  }
}

/** The filter as one SQL condition on `customers`, evaluated by the database. */
export function segmentCondition(filter: SegmentFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    filter.includeArchived ? undefined : isNull(customers.archivedAt),
    filter.kind ? eq(customers.kind, filter.kind) : undefined,
    filter.lifecycle?.length ? inArray(customers.lifecycleStage, filter.lifecycle) : undefined,
    filter.tagsAll?.length ? arrayContains(customers.tags, filter.tagsAll) : undefined,
    filter.tagsAny?.length ? arrayOverlaps(customers.tags, filter.tagsAny) : undefined,
    filter.languages?.length ? inArray(customers.language, filter.languages) : undefined,
    ...(filter.attributes ?? []).map(attributeSql),
    filter.consent
      ? sql`exists (select 1 from ${customerConsents} where ${and(
          eq(customerConsents.customerId, customers.id),
          eq(customerConsents.purpose, filter.consent.purpose),
          eq(customerConsents.channel, filter.consent.channel),
          eq(customerConsents.granted, true),
        )})`
      : undefined,
    filter.created?.from ? gte(customers.createdAt, filter.created.from) : undefined,
    filter.created?.to ? lte(customers.createdAt, filter.created.to) : undefined,
    filter.lastContacted?.from ? gte(customers.lastContactedAt, filter.lastContacted.from) : undefined,
    filter.lastContacted?.to
      ? or(lte(customers.lastContactedAt, filter.lastContacted.to), isNull(customers.lastContactedAt))
      : undefined,
  ];
  return and(...parts);
}
