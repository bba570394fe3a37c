/**
 * The filters a case list was opened with (the statistics' drill-down: `?departmentCode=…&from=…`),
 * each as a tag that removes it, with "clear" and a way back to the statistics.
 */
import { Alert, Button, Space, Tag } from 'antd';
import { BarChartOutlined, FilterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { api } from '../api';
import { hasRole, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { joinList } from '../format';
import { STATS_ROLES } from '../pages/access';
import type { ApplicationFilterKey, ApplicationFilters } from '../pages/statsLogic';
import { useStatusName } from './StatusTag';

/** A division's name (`GET /regions/{code}`), or its code while loading or when unknown. */
function useRegionName(code: string | undefined): string | undefined {
  const q = useQuery({
    queryKey: ['region', code],
    queryFn: () => api<{ code: string; name: string }>(`/regions/${code}`),
    enabled: !!code,
    staleTime: 10 * 60_000,
    retry: false,
  });
  return code ? (q.data?.name ?? code) : undefined;
}

export function ApplicationFiltersBar({ filters, onRemove }: { filters: ApplicationFilters; onRemove: (keys: readonly ApplicationFilterKey[]) => void }) {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const departmentName = useDepartmentName();
  const regionName = useRegionName(filters.regionCode);
  const statusName = useStatusName();

  const tags: { keys: ApplicationFilterKey[]; label: ReactNode; id: string }[] = [];
  if (filters.from && filters.to) tags.push({ keys: ['from', 'to'], id: 'period', label: t('stats.list.period', { from: filters.from, to: filters.to }) });
  else if (filters.from) tags.push({ keys: ['from'], id: 'period', label: t('stats.list.from', { from: filters.from }) });
  else if (filters.to) tags.push({ keys: ['to'], id: 'period', label: t('stats.list.to', { to: filters.to }) });
  if (filters.departmentCode) tags.push({ keys: ['departmentCode'], id: 'department', label: t('stats.list.department', { name: departmentName(filters.departmentCode) }) });
  if (filters.regionCode) tags.push({ keys: ['regionCode'], id: 'region', label: t('stats.list.region', { name: regionName }) });
  if (filters.channel) tags.push({ keys: ['channel'], id: 'channel', label: t('stats.list.channel', { name: t(`channel.${filters.channel}`) }) });
  if (filters.clock) tags.push({ keys: ['clock'], id: 'clock', label: t(`stats.list.clock.${filters.clock}`) });
  if (filters.status) tags.push({ keys: ['status'], id: 'status', label: t('stats.list.status', { names: joinList(filters.status.split(',').map(statusName)) }) });

  // back to the dashboard with the filters it knows
  const back = new URLSearchParams();
  for (const k of ['from', 'to', 'departmentCode', 'regionCode', 'channel'] as const) if (filters[k]) back.set(k, filters[k]);

  return (
    <Alert
      className="ow-list-filters"
      type="info"
      icon={<FilterOutlined />}
      showIcon
      data-testid="list-filters"
      title={
        <Space wrap size={[6, 6]}>
          <span>
            {t('stats.list.filtered')}
            {t('common.colon')}
          </span>
          {tags.map((f) => (
            <Tag key={f.id} color={f.id === 'clock' && filters.clock === 'overdue' ? 'red' : f.id === 'clock' ? 'orange' : 'blue'} closable onClose={() => onRemove(f.keys)} data-testid={`list-filter-${f.id}`}>
              {f.label}
            </Tag>
          ))}
        </Space>
      }
      action={
        <Space wrap>
          {hasRole(user, STATS_ROLES) && (
            <Link to={`/stats${back.toString() ? `?${back.toString()}` : ''}`} data-testid="list-filters-back">
              <BarChartOutlined aria-hidden /> {t('stats.list.back')}
            </Link>
          )}
          <Button size="small" onClick={() => onRemove(['departmentCode', 'regionCode', 'channel', 'from', 'to', 'clock', 'status'])} data-testid="list-filters-clear">
            {t('stats.list.clear')}
          </Button>
        </Space>
      }
    />
  );
}
