import { asc, desc, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { AppError } from './errors.js';

/**
 * One keyset cursor for every paged list: the last row's sort values, ending with a unique id, in
 * the database's own text form (a timestamp keeps its microseconds), so rows that share a sort
 * value are neither skipped nor repeated. Each value is checked by its type before it reaches SQL.
 */
const keyTypes = {
  timestamptz: (value: string) => /^\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/.test(value),
  uuid: (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  bigint: (value: string) => /^-?\d{1,18}$/.test(value),
  text: (value: string) => value.length <= 1000 && !value.includes('\u0000') && !/\p{Cs}/u.test(value),
} as const;

export type KeyType = keyof typeof keyTypes;

export type KeysetColumn = { expression: SQLWrapper; type: KeyType };

const badCursor = () =>
  new AppError('validation_failed', 'paging.bad_cursor', 'The cursor is not one this list gave out.', [
    { path: 'querystring.cursor', message: 'is not a cursor this list gave out' },
  ]);

export const encodeCursor = (values: string[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

/** The values of a cursor this list gave out, or a 400 naming `querystring.cursor`. */
export function decodeCursor(cursor: string, types: readonly KeyType[]): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  if (
    !Array.isArray(values) ||
    values.length !== types.length ||
    !values.every((value, index) => typeof value === 'string' && keyTypes[types[index]!](value))
  )
    throw badCursor();
  return values as string[];
}

export type Keyset = ReturnType<typeof keyset>;

/**
 * A list's order: the sort columns, the last of them unique. Select `position` beside each row,
 * filter with `after(cursor)`, order by `orderBy`, fetch one row more than the page and let
 * `page` cut it and make the next cursor.
 */
export function keyset(columns: KeysetColumn[], order: 'asc' | 'desc') {
  const types = columns.map((column) => column.type);
  const tuple = sql.join(
    columns.map((column) => sql`${column.expression}`),
    sql`, `,
  );
  return {
    position: sql<string[]>`array[${sql.join(
      columns.map((column) => sql`${column.expression}::text`),
      sql`, `,
    )}]`,

    orderBy: columns.map((column) => (order === 'asc' ? asc(column.expression) : desc(column.expression))),

    /** The rows after the cursor's; a row comparison, so an index on the sort columns starts right there. */
    after(cursor: string | undefined): SQL | undefined {
      if (cursor === undefined) return undefined;
      const values = decodeCursor(cursor, types);
      const bound = sql.join(
        values.map((value, index) => sql`${value}::${sql.raw(types[index]!)}`),
        sql`, `,
      );
      return order === 'asc' ? sql`(${tuple}) > (${bound})` : sql`(${tuple}) < (${bound})`;
    },

    /** The page without its look-ahead row, and the cursor of its last row when more follow. */
    page<Row extends { position: string[] }>(rows: Row[], limit: number) {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page.map(({ position: _position, ...row }) => row),
        nextCursor: rows.length > limit && last ? encodeCursor(last.position) : null,
      };
    },
  };
}
