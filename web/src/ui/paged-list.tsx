import type { ReactNode } from 'react';
import { DataTable, type DataTableProps } from './data-table.js';
import { formatNumber } from './format.js';
import { Empty, ErrorNotice, Loading } from './states.js';

/** What a list page needs of its data: `useCursorPages` (keyset pages) and `useApiList` (one answer) both give it. */
export type ListSource<T> = {
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  /** The items are an earlier filter's: they are shown dimmed until the new ones arrive. */
  stale?: boolean;
  reload: () => void;
  hasMore?: boolean;
  loadingMore?: boolean;
  loadMore?: () => void;
};

/** How many there are in all, as the server counts them: above a threshold, an estimate. */
export type ListTotal = { count: number; estimated: boolean };

/**
 * "1 customer", "50+ customers", "50 of about 1,000,000 customers": how many are shown, and whether
 * (or how many more) the server has.
 */
export function countOf(count: number, [one, many]: readonly [string, string], more = false, total?: ListTotal) {
  if (more && total)
    return `${formatNumber(count)} of ${total.estimated ? 'about ' : ''}${formatNumber(total.count)} ${many}`;
  return count === 1 && !more ? `1 ${one}` : `${formatNumber(count)}${more ? '+' : ''} ${many}`;
}

/** Asks the server for the next page, while it has more. */
export function LoadMore({ list, block = false }: { list: ListSource<unknown>; block?: boolean }) {
  if (!list.hasMore) return null;
  return (
    <button
      type="button"
      className={block ? 'button button-block' : 'button'}
      disabled={list.loadingMore}
      onClick={list.loadMore}
    >
      {list.loadingMore ? 'Loading…' : 'Load more'}
    </button>
  );
}

export type PagedListProps<T> = {
  list: ListSource<T>;
  /** Says what is loading: "Loading customers…". */
  what: string;
  noun?: readonly [string, string];
  /** How many there are in all, for a list with more than it shows. */
  total?: ListTotal;
  toolbar?: ReactNode;
  /** What an empty list says. */
  empty: { title: string; hint?: ReactNode };
  /** Said under the items, beside "Load more". */
  footnote?: (items: T[]) => ReactNode;
  /** Where "Load more" goes: beside the footnote under a table, across the whole list, or nowhere (the list places it). */
  more?: 'footer' | 'block' | 'none';
};

/**
 * A list's states in one place: loading, failed (with a retry), empty, and the items, dimmed while
 * a new filter loads, with "Load more" while the server has more. With `noun`, a line above says
 * how many are shown, with `toolbar` (sort, refresh) beside it.
 */
export function PagedList<T>({
  list,
  what,
  noun,
  total,
  toolbar,
  empty,
  footnote,
  more = 'footer',
  children,
}: PagedListProps<T> & { children: (items: T[]) => ReactNode }) {
  const { items, error, loading } = list;
  return (
    <>
      {noun && (
        <div className="toolbar">
          <span className="muted" role="status">
            {items && countOf(items.length, noun, list.hasMore, total)}
            {loading && ' · updating…'}
          </span>
          {toolbar}
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} onRetry={list.reload} />}
      {items === undefined ? (
        error === undefined && <Loading what={what} />
      ) : items.length === 0 ? (
        <Empty title={empty.title}>{empty.hint}</Empty>
      ) : (
        <div className={list.stale ? 'refreshing' : undefined} aria-busy={list.stale}>
          {children(items)}
          {more === 'block' && <LoadMore list={list} block />}
          {more === 'footer' && (list.hasMore || footnote) && (
            <div className="table-footer">
              <span className="muted">{footnote?.(items)}</span>
              <LoadMore list={list} />
            </div>
          )}
        </div>
      )}
    </>
  );
}

/** The usual list page: the list's states around one table of its items (each part takes the props it knows). */
export function PagedTable<T>(props: PagedListProps<T> & Omit<DataTableProps<T>, 'rows'>) {
  return <PagedList {...props}>{(items) => <DataTable {...props} rows={items} />}</PagedList>;
}
