/**
 * Small pieces shared by the verification, seal, chief-representative, authorisation, project and
 * commitment-check pages.
 */
import type { ReactNode } from 'react';
import { Grid, Space, Tag, Tooltip, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { Hall, Item, Page } from '../types';
import { todayInShanghai } from '../format';
import { grantState, type GrantState } from './pageLogic';
import './pages.css';

/** A page's title, its explanation and, on the right, its main action. */
export function PageHeading({ title, subtitle, extra, testId }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <div className="owp-heading">
      <div className="owp-heading-text">
        <Typography.Title level={2} className="ow-page-title" data-testid={testId}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Paragraph type="secondary" className="owp-subtitle">{subtitle}</Typography.Paragraph>}
      </div>
      {extra && <div className="owp-heading-extra">{extra}</div>}
    </div>
  );
}

/** The names of items by code, from the same cache as the item pages (`['item', code]`). */
export function useItemNames(codes: readonly string[]): Map<string, string> {
  const unique = [...new Set(codes)];
  const results = useQueries({
    queries: unique.map((code) => ({
      queryKey: ['item', code],
      queryFn: () => api<Item>(`/items/${encodeURIComponent(code)}`),
      staleTime: 10 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((code, i) => {
    const name = results[i]?.data?.name;
    if (name) names.set(code, name);
  });
  return names;
}

/** Item codes as tags with their names (the code in a tooltip); `allLabel` when the list is empty. */
export function ItemList({ codes, names, allLabel, max = 4 }: { codes: readonly string[]; names: Map<string, string>; allLabel?: string; max?: number }) {
  if (codes.length === 0) return allLabel ? <Tag color="blue">{allLabel}</Tag> : <span>—</span>;
  const shown = codes.slice(0, max);
  const rest = codes.slice(max);
  return (
    <Space size={[4, 4]} wrap className="owp-item-list">
      {shown.map((c) => (
        <Tooltip key={c} title={c}>
          <Tag className="owp-item-tag">{names.get(c) ?? c}</Tag>
        </Tooltip>
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.map((c) => names.get(c) ?? c).join('、')}>
          <Tag>+{rest.length}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** 有效 / 已撤销 / 已过期 for an empowerment or authorisation. */
export function GrantStateTag({ grant, testId }: { grant: { revokedAt: string | null; validTo: string }; testId?: string }) {
  const { t } = useTranslation();
  const state: GrantState = grantState(grant, new Date(), todayInShanghai());
  const color = state === 'active' ? 'green' : state === 'revoked' ? 'red' : 'default';
  return (
    <Tag color={color} data-testid={testId} data-state={state}>
      {t(`pages.common.${state}`)}
    </Tag>
  );
}

/** The service halls (`GET /halls`), shared with the item pages' cache. */
export function useHalls() {
  return useQuery({
    queryKey: ['halls'],
    queryFn: () => api<{ items: Hall[] }>('/halls'),
    staleTime: 10 * 60_000,
  });
}

/** Every item a department implements (all pages of `GET /items?departmentCode=`). */
export function useDepartmentItems(departmentCode: string | null | undefined) {
  return useQuery({
    queryKey: ['items', 'department-all', departmentCode],
    enabled: !!departmentCode,
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const all: Item[] = [];
      for (let page = 1; page <= 20; page++) {
        const r = await api<Page<Item>>('/items', { query: { departmentCode: departmentCode ?? '', page, pageSize: 100 } });
        all.push(...r.items);
        if (all.length >= r.total || r.items.length === 0) break;
      }
      return all;
    },
  });
}

/**
 * A table's `scroll`: on a phone the table scrolls sideways inside its card (rather than widening
 * the page or squeezing a column to one character a line); on wider screens it fits the card.
 */
export function useTableScroll(): { x: 'max-content' } | undefined {
  const screens = Grid.useBreakpoint();
  return screens.md ? undefined : { x: 'max-content' };
}
