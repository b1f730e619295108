import { and, arrayContains, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { keyset } from '../shared/cursor.js';
import { CANDIDATES, exactLookup, searchNames } from './customer-search.js';
import type { CountCustomersQuery, ListCustomersQuery } from './customers.schemas.js';
import { customers } from './customers.tables.js';
import { liveCount, SAMPLED_ROWS, SAMPLED_ROWS_WITH_CONSENT, type LiveCount } from './live-count.js';
import { segmentCondition, type SegmentFilter } from './segment-filter.js';

const sortKeys = {
  name: { expression: customers.name, type: 'text' },
  created: { expression: customers.createdAt, type: 'timestamptz' },
  updated: { expression: customers.updatedAt, type: 'timestamptz' },
} as const;

/** The id breaks ties: two customers of one name, or one import's rows created at the same instant. */
const listOrder = (sort: keyof typeof sortKeys, order: 'asc' | 'desc') =>
  keyset([sortKeys[sort], { expression: customers.id, type: 'uuid' }], order);

/** The customer list and the export's walk over it: the same filters, order and search. */
export function createCustomerList(deps: {
  db: Database;
  segmentFilter: (segmentId: string) => Promise<SegmentFilter>;
  defaultCountry: string;
}) {
  const { db } = deps;

  /** The list's filters as conditions, and the search term when it is a fuzzy name rather than an exact key. */
  async function filtersOf(query: CountCustomersQuery) {
    const segment = query.segment ? await deps.segmentFilter(query.segment) : undefined;
    const conditions: (SQL | undefined)[] = [
      query.archived === 'false'
        ? isNull(customers.archivedAt)
        : query.archived === 'true'
          ? isNotNull(customers.archivedAt)
          : undefined,
      query.lifecycle ? inArray(customers.lifecycleStage, [query.lifecycle].flat()) : undefined,
      query.tag ? arrayContains(customers.tags, [query.tag].flat()) : undefined,
      query.kind ? eq(customers.kind, query.kind) : undefined,
      query.ownerId ? eq(customers.ownerId, query.ownerId) : undefined,
      segment ? segmentCondition({ ...segment, includeArchived: true }) : undefined,
    ];
    // A consent condition reads the consents' index for each customer it checks.
    const consent = Boolean(segment?.consent);
    const term = query.q?.trim();
    if (!term) return { conditions, consent };
    const lookup = exactLookup(term, deps.defaultCountry);
    if (!lookup) return { conditions, consent, name: term };
    return { conditions: [...conditions, lookup], consent };
  }

  return {
    /**
     * Lists customers with filters, keyset-paged by the sort column so deep pages stay fast.
     * A search term is an email, a phone number or an external id (paged like the list), or a fuzzy
     * name (ranked by similarity, one page).
     */
    async list(actor: Actor, query: ListCustomersQuery) {
      authorize(actor, 'customers.read');
      const { conditions, name } = await filtersOf(query);
      if (name) return { customers: await searchNames(db, name, conditions, query.limit), nextCursor: null };
      const order = listOrder(query.sort, query.order);
      const rows = await db
        .select({ customer: customers, position: order.position })
        .from(customers)
        .where(and(...conditions, order.after(query.cursor)))
        .orderBy(...order.orderBy)
        .limit(query.limit + 1);
      const page = order.page(rows, query.limit);
      return { customers: page.rows.map((row) => row.customer), nextCursor: page.nextCursor };
    },

    /**
     * How many customers the list's filters match: exact up to EXACT_COUNT_UP_TO, above it estimated
     * and said to be so. A fuzzy name counts the matches the search ranks, which are at most CANDIDATES.
     */
    async count(actor: Actor, query: CountCustomersQuery): Promise<LiveCount> {
      authorize(actor, 'customers.read');
      const { conditions, consent, name } = await filtersOf(query);
      if (name) return { count: (await searchNames(db, name, conditions, CANDIDATES)).length, estimated: false };
      return liveCount(db, and(...conditions), consent ? SAMPLED_ROWS_WITH_CONSENT : SAMPLED_ROWS);
    },

    /**
     * Every customer the list's filters match, in the list's order, `size` at a time: one keyset
     * statement per batch, never the whole list in memory (exports). `cells` are what is read of
     * each customer; each row comes back as one JSON array (text and null for text cells, arrays and
     * objects for others), so that drivers and the query builder handle one value per row rather than
     * one per cell. A fuzzy name search yields its ranked matches, as the list shows them.
     */
    async *scan<Row extends unknown[] = (string | null)[]>(
      actor: Actor,
      query: Omit<ListCustomersQuery, 'cursor' | 'limit'>,
      size: number,
      cells: SQL[],
    ): AsyncGenerator<Row[]> {
      authorize(actor, 'customers.read');
      const asJson = (extra: SQL[] = []) =>
        sql<string>`json_build_array(${sql.join([...cells, ...extra], sql`, `)})::text`;
      const { conditions, name } = await filtersOf(query);
      if (name) {
        const found = await searchNames(db, name, conditions, size);
        if (!found.length) return;
        const rows = await db
          .select({ id: customers.id, cells: asJson() })
          .from(customers)
          .where(
            inArray(
              customers.id,
              found.map((customer) => customer.id),
            ),
          );
        const byId = new Map(rows.map((row) => [row.id, row.cells]));
        yield found.map((customer) => JSON.parse(byId.get(customer.id)!) as Row);
        return;
      }
      const order = listOrder(query.sort, query.order);
      let cursor: string | undefined;
      do {
        const after = cursor;
        const rows = await db
          .select({ cells: asJson([order.position]) })
          .from(customers)
          .where(and(...conditions, order.after(after)))
          .orderBy(...order.orderBy)
          .limit(size + 1);
        // The row's list position comes last, for the cursor of the next batch.
        const page = order.page(
          rows.map((row) => {
            const values = JSON.parse(row.cells) as unknown[];
            return { position: values.pop() as string[], values: values as Row };
          }),
          size,
        );
        if (page.rows.length) yield page.rows.map((row) => row.values);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
  };
}
