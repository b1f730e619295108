import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from './format.js';

export type Column<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Classes of the column's cells: `nowrap`, `strong`, a cell style of the area. */
  className?: string;
  /** Figures: right-aligned, heading included. */
  numeric?: boolean;
  /** The heading is for screen readers only (a column of buttons or links). */
  hideHeader?: boolean;
};

/** The columns most tables have, made for the table's rows. */
export type ColumnKinds<T> = {
  /** The row's name, linking to its own page, with a quiet line under it (who made it, what it is). */
  link: (header: string, link: (row: T) => { to: string; label: ReactNode; note?: ReactNode }) => Column<T>;
  /** A moment, in the reader's locale, on one line. */
  date: (header: string, at: (row: T) => string | null, seconds?: boolean) => Column<T>;
  /** A value people type or copy exactly: a key, a kind, an action. */
  code: (header: string, value: (row: T) => ReactNode) => Column<T>;
  /** The last column: a row's buttons, side by side. */
  actions: (cell: (row: T) => ReactNode, header?: string) => Column<T>;
};

function columnKinds<T>(): ColumnKinds<T> {
  return {
    link: (header, link) => ({
      header,
      cell: (row) => {
        const { to, label, note } = link(row);
        return (
          <>
            <Link to={to} className="strong">
              {label}
            </Link>
            {note && <div className="muted cell-note">{note}</div>}
          </>
        );
      },
    }),
    date: (header, at, seconds = false) => ({
      header,
      className: 'nowrap',
      cell: (row) => formatDateTime(at(row), { seconds }),
    }),
    code: (header, value) => ({ header, cell: (row) => <code>{value(row)}</code> }),
    actions: (cell, header = 'Actions') => ({
      header,
      hideHeader: true,
      className: 'actions-cell',
      cell: (row) => <div className="row-actions">{cell(row)}</div>,
    }),
  };
}

type Columns<T> = readonly (Column<T> | false)[];

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

export type DataTableProps<T> = {
  rows: readonly T[];
  columns: Columns<T> | ((column: ColumnKinds<T>) => Columns<T>);
  rowKey: (row: T, index: number) => string | number;
  label?: string;
  /** A style of the area's on top of the table's own. */
  className?: string;
  rowClassName?: (row: T) => string | undefined;
  /** A small table inside a card, which frames it already: tighter cells and no frame of its own. */
  compact?: boolean;
};

/**
 * The app's one table: a heading per column, a row per item. Columns given as `false` are left out,
 * so a column only some roles see reads `canManage && {...}`. Given as a function, the columns are
 * made with the common kinds (`column.date('Updated', (row) => row.updatedAt)`).
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  label,
  className,
  rowClassName,
  compact = false,
}: DataTableProps<T>) {
  const made = typeof columns === 'function' ? columns(columnKinds<T>()) : columns;
  const shown = made.filter((column): column is Column<T> => column !== false);
  const table = (
    <table className={classes('table', compact && 'table-compact', className)} aria-label={label}>
      <thead>
        <tr>
          {shown.map((column, index) => (
            <th key={index} className={classes(column.numeric && 'numeric')}>
              {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} className={rowClassName?.(row)}>
            {shown.map((column, place) => (
              <td key={place} className={classes(column.numeric && 'numeric', column.className)}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return compact ? table : <div className="table-wrap">{table}</div>;
}

/** A value, or a quiet dash when there is none. */
export const orDash = (value: ReactNode) =>
  value === null || value === undefined || value === '' || value === false ? <span className="muted">—</span> : value;
