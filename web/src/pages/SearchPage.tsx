import { useEffect, useState } from 'react';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { CHANNELS, SERVICE_LEVELS, THEMES, type Item, type Page } from '../types';
import { ItemBadges, LimitUnknownTag } from '../components/ItemBadges';
import { DepthTag, LimitDays } from '../components/DepthTag';
import { QueryError } from '../components/QueryState';
import { useDepartmentName, useDepartments } from '../departments';
import { deptDisplayName, itemTypeName } from '../format';

const PAGE_SIZE = 10;
const HOT_WORDS = ['施工许可', '营业执照', '食品经营', '道路挖掘', '户口'];

export { useDepartments };

export default function SearchPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const dept = params.get('department') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  // filters kept in the URL; unknown values are ignored rather than sent
  const pick = <T extends string>(key: string, allowed: readonly T[]): T | '' => {
    const v = params.get(key) ?? '';
    return (allowed as readonly string[]).includes(v) ? (v as T) : '';
  };
  const level = pick('level', SERVICE_LEVELS);
  const channel = pick('channel', CHANNELS);
  const theme = pick('theme', THEMES);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const departments = useDepartments();
  const departmentName = useDepartmentName();
  const items = useQuery({
    queryKey: ['items', { q, dept, level, channel, theme, page }],
    queryFn: () =>
      api<Page<Item>>('/items', {
        query: { q, departmentCode: dept, level, channel, theme, page, pageSize: PAGE_SIZE },
      }),
    placeholderData: keepPreviousData,
  });

  const update = (next: {
    q?: string;
    department?: string;
    level?: string;
    channel?: string;
    theme?: string;
    page?: number;
  }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || (k === 'page' && v === 1)) p.delete(k);
      else p.set(k, String(v));
    }
    setParams(p);
  };

  const columns: TableProps<Item>['columns'] = [
    {
      title: t('itemCols.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, it) => (
        <div className="ow-item-cell">
          <Link to={`/items/${encodeURIComponent(it.code)}`} data-testid="item-link" style={{ fontWeight: 600 }}>
            {name}
          </Link>
          <ItemBadges item={it} />
        </div>
      ),
    },
    {
      title: t('itemCols.department'),
      key: 'department',
      responsive: ['sm'],
      render: (_, it) => departmentName(it.departmentCode, it.departmentName),
    },
    { title: t('itemCols.type'), key: 'type', render: (_, it) => itemTypeName(it.type, it.typeName), responsive: ['md'], onCell: () => ({ style: { whiteSpace: 'nowrap' } }), },
    {
      title: t('itemCols.statutory'),
      key: 'statutory',
      render: (_, it) =>
        it.limitUnknown ? (
          <LimitUnknownTag />
        ) : (
          <LimitDays days={it.statutoryLimitDays} unit={it.statutoryLimitUnit} kind="statutory" />
        ),
      responsive: ['sm'],
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
    },
    {
      title: t('itemCols.committed'),
      key: 'committed',
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_, it) =>
        it.limitUnknown ? (
          <LimitUnknownTag />
        ) : (
          <Typography.Text strong style={{ color: '#1b5e20' }}>
            <LimitDays days={it.committedLimitDays} unit={it.committedLimitUnit} />
          </Typography.Text>
        ),
    },
    { title: t('itemCols.depth'), key: 'depth', render: (_, it) => <DepthTag depth={it.onlineDepth} />, responsive: ['md'], onCell: () => ({ style: { whiteSpace: 'nowrap' } }), },
  ];

  const isHome = location.pathname === '/';
  const hero = (
    <section className="ow-hero" aria-labelledby="hero-title">
      {isHome && <div className="ow-hero-slogan">{t('app.slogan')}</div>}
      <h1 id="hero-title">{isHome ? t('home.heroTitle') : t('nav.items')}</h1>
      {isHome && <p>{t('home.heroSubtitle')}</p>}
      <div className="ow-search-row" role="search">
        <label htmlFor="item-search" className="sr-only" style={{ position: 'absolute', left: -9999 }}>
          {t('home.searchLabel')}
        </label>
        <Space.Compact className="ow-search" size="large">
          <Input
            id="item-search"
            allowClear
            aria-label={t('home.searchLabel')}
            placeholder={t('home.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onPressEnter={() => update({ q: text.trim(), page: 1 })}
            prefix={<SearchOutlined aria-hidden />}
            data-testid="search-input"
            enterKeyHint="search"
          />
          <Button type="primary" onClick={() => update({ q: text.trim(), page: 1 })} data-testid="search-button">
            {t('home.searchButton')}
          </Button>
        </Space.Compact>
        <Select
          size="large"
          style={{ minWidth: 240 }}
          popupMatchSelectWidth={false}
          aria-label={t('home.department')}
          data-testid="department-filter"
          value={dept}
          loading={departments.isLoading}
          onChange={(v) => update({ department: v, page: 1 })}
          showSearch={{ optionFilterProp: 'label' }}
          options={[
            { value: '', label: t('home.allDepartments') },
            ...(departments.data?.items ?? []).map((d) => ({ value: d.code, label: deptDisplayName(d) ?? d.code })),
          ]}
        />
      </div>
      <div className="ow-filter-row" data-testid="search-filters">
        <Select
          size="large"
          className="ow-filter"
          popupMatchSelectWidth={false}
          aria-label={t('filters.level')}
          data-testid="level-filter"
          value={level}
          onChange={(v) => update({ level: v, page: 1 })}
          options={[
            { value: '', label: t('filters.allLevels') },
            ...SERVICE_LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) })),
          ]}
        />
        <Select
          size="large"
          className="ow-filter"
          popupMatchSelectWidth={false}
          aria-label={t('filters.channel')}
          data-testid="channel-filter"
          value={channel}
          onChange={(v) => update({ channel: v, page: 1 })}
          options={[
            { value: '', label: t('filters.allChannels') },
            ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
          ]}
        />
        <Select
          size="large"
          className="ow-filter"
          popupMatchSelectWidth={false}
          aria-label={t('filters.theme')}
          data-testid="theme-filter"
          value={theme}
          onChange={(v) => update({ theme: v, page: 1 })}
          options={[
            { value: '', label: t('filters.allThemes') },
            ...THEMES.map((th) => ({ value: th, label: t(`theme.${th}`) })),
          ]}
        />
        {(level || channel || theme || dept) && (
          <Button
            size="large"
            ghost
            data-testid="clear-filters"
            onClick={() => update({ level: '', channel: '', theme: '', department: '', page: 1 })}
          >
            {t('filters.clear')}
          </Button>
        )}
      </div>
      <div className="ow-hot">
        <Space wrap size={[8, 8]}>
          <span>{t('home.hotWords')}
            {t('common.colon')}</span>
          {HOT_WORDS.map((w) => (
            <Tag
              key={w}
              role="button"
              tabIndex={0}
              onClick={() => update({ q: w, page: 1 })}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && update({ q: w, page: 1 })}
            >
              {w}
            </Tag>
          ))}
        </Space>
      </div>
    </section>
  );

  return (
    <>
      {hero}
      {items.isError && <QueryError error={items.error} onRetry={() => void items.refetch()} />}
      <Card
        title={
          <span data-testid="result-total">
            {t('home.total', { total: items.data?.total ?? 0 })}
          </span>
        }
        className="ow-card"
      >
        <Table<Item>
          rowKey="code"
          columns={columns}
          dataSource={items.data?.items ?? []}
          loading={items.isFetching}
          locale={{ emptyText: t('home.empty') }}
          onRow={(it) =>
            ({ 'data-testid': 'item-row', 'data-item-code': it.code }) as React.HTMLAttributes<HTMLElement>
          }
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: items.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p) => update({ page: p }),
          }}
        />
      </Card>
    </>
  );
}
