import type { HTMLAttributes } from 'react';
import { Table } from 'antd';
import type { TableProps } from 'antd';
import { useTableScroll } from './pageKit';

type ListTableProps<T> = Omit<TableProps<T>, 'dataSource' | 'pagination' | 'locale' | 'onRow' | 'scroll'> & {
  rows: readonly T[];
  emptyText: string;
  /** each row's `data-testid` */
  rowTestId: string;
  /** more `data-*` attributes of a row */
  rowData?: (row: T) => Record<string, string>;
  /** rows a page; pages only when there are more rows than this */
  pageSize?: number;
  /** `false`: every row on one page */
  paged?: boolean;
};

/**
 * A list page's table: rows keyed by `id` (unless `rowKey` says otherwise), sideways scrolling on a
 * phone, pages of `pageSize` only when needed, its empty text, and a test id on every row.
 */
export function ListTable<T extends object>({ rows, emptyText, rowTestId, rowData, pageSize = 20, paged = true, rowKey = 'id', ...rest }: ListTableProps<T>) {
  const scroll = useTableScroll();
  return (
    <Table<T>
      rowKey={rowKey}
      scroll={scroll}
      dataSource={rows as T[]}
      pagination={paged && rows.length > pageSize ? { pageSize, showSizeChanger: false } : false}
      locale={{ emptyText }}
      onRow={(r) => ({ 'data-testid': rowTestId, ...rowData?.(r) }) as HTMLAttributes<HTMLElement>}
      {...rest}
    />
  );
}
