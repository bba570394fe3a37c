/**
 * 统计分析: the staff dashboard of the applications submitted in a period (a cohort), filtered by
 * department, town and channel (the filters live in the URL):
 * - rate cards (办结率, 按时办结率, 满意率 …), each with its numerator / denominator and, in a
 *   tooltip, its formula in words;
 * - volumes, and the overdue (超期) and warning (预警) cases, linked to the case list;
 * - charts (ECharts): monthly trend, by department, by town, channels, ratings, online depth;
 *   clicking a bar or slice opens the case list filtered accordingly (drill-down);
 * - the breakdowns as tables, each row linked to its cases; the Excel export of it all.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Col, DatePicker, Empty, Input, Row, Select, Skeleton, Space, Statistic, Table, Tabs, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ClockCircleOutlined, DownloadOutlined, QuestionCircleOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api';
import { useDepartments } from '../departments';
import { deptDisplayName, fmtTime, isEnglish, todayInShanghai } from '../format';
import type { Department } from '../types';
import { QueryError } from '../components/QueryState';
import { Chart, type ChartClick, type ChartOption } from '../components/Chart';
import { PageHeading, useHalls, useTableScroll } from './pageKit';
import {
  APP_CHANNELS,
  BREAKDOWN_DIMENSIONS,
  ONLINE_DEPTHS,
  RATINGS,
  districtCodeOf,
  drillDownUrl,
  exportUrl,
  fmtCount,
  fmtFraction,
  fmtPercent,
  percentValue,
  readStatsFilter,
  REGION_CODE,
  statsQuery,
  type AppChannel,
  type Breakdown,
  type BreakdownBy,
  type BreakdownRow,
  type ClockFilter,
  type Rate,
  type StatsFilter,
  type StatsSummary,
} from './statsLogic';
import './stats.css';

const { RangePicker } = DatePicker;

/** The rate cards, in order: the cohort's rates, then the catalogue's. */
const CASE_RATES = ['completion', 'onTime', 'satisfaction', 'explicitSatisfaction', 'immediateHandling', 'singleWindow', 'onlineChannel'] as const;
const CATALOG_RATES = ['onlineAvailable', 'timeLimitCompression'] as const;
type KpiKey = (typeof CASE_RATES)[number] | (typeof CATALOG_RATES)[number];

const COUNT_KEYS = ['submitted', 'accepted', 'decided', 'inProgress', 'rejected', 'withdrawn', 'granted', 'denied', 'delivered', 'licenseFree', 'licenseUses', 'evaluated'] as const;

const COLORS = { submitted: '#1d4fa3', decided: '#2e9d5b', rate: '#d48806' };
const RATING_COLORS = ['#c62828', '#ef6c00', '#fbc02d', '#7cb342', '#2e7d32'];
const DEPTH_COLORS = { I: '#bfbfbf', II: '#69b1ff', III: '#2f54eb', IV: '#2e9d5b' } as const;
const CHANNEL_COLORS = { window: '#1d4fa3', online: '#2e9d5b', kiosk: '#d48806', mobile: '#722ed1' } as const;

function useSummary(f: StatsFilter) {
  const query = statsQuery(f);
  return useQuery({
    queryKey: ['stats', 'summary', query],
    queryFn: () => api<StatsSummary>('/stats/summary', { query }),
    placeholderData: keepPreviousData,
  });
}

function useBreakdown(by: BreakdownBy, f: StatsFilter, enabled = true) {
  const query = { ...statsQuery(f), by };
  return useQuery({
    queryKey: ['stats', 'breakdown', query],
    queryFn: () => api<Breakdown>('/stats/breakdown', { query }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The district's towns and subdistricts (`GET /regions/{district}`), the district found from the halls. */
function useTowns() {
  const halls = useHalls();
  const district = districtCodeOf(halls.data?.items);
  const region = useQuery({
    queryKey: ['region', district],
    queryFn: () => api<{ code: string; name: string; children: { code: string; name: string; level: string }[] }>(`/regions/${district}`),
    enabled: !!district,
    staleTime: 10 * 60_000,
  });
  const towns = (region.data?.children ?? []).filter((c) => c.level === 'town');
  return { towns, loading: halls.isLoading || region.isLoading, failed: halls.isError || region.isError || (!halls.isLoading && !district) };
}

/** A department's label in a chart or table: the short name in Chinese, the English name in English. */
function useDeptLabel() {
  const departments = useDepartments();
  return useCallback(
    (code: string, fallback: string) => {
      const d: Department | undefined = departments.data?.items.find((x) => x.code === code);
      if (!d) return fallback || code;
      return isEnglish() ? (deptDisplayName(d) ?? fallback) : (d.shortName || d.name || fallback);
    },
    [departments.data],
  );
}

function RateValue({ rate }: { rate: Rate }) {
  const { t } = useTranslation();
  return (
    <span className="ow-rate-cell">
      <span className="ow-rate-pct">{fmtPercent(rate.value)}</span>
      <span className="ow-rate-frac" title={t('stats.fractionLabel')}>
        {fmtFraction(rate)}
      </span>
    </span>
  );
}

function KpiCard({ k, rate }: { k: KpiKey; rate: Rate }) {
  const { t } = useTranslation();
  const formula = t(`stats.formula.${k}`);
  return (
    <Card
      className="ow-kpi"
      size="small"
      data-testid={`kpi-${k}`}
      data-value={rate.value ?? ''}
      data-numerator={rate.numerator}
      data-denominator={rate.denominator}
    >
      <Statistic
        title={
          <span className="ow-kpi-title">
            {t(`stats.kpi.${k}`)}
            <Tooltip title={formula}>
              <QuestionCircleOutlined className="ow-kpi-help" tabIndex={0} role="img" aria-label={formula} data-testid="kpi-formula" />
            </Tooltip>
          </span>
        }
        value={fmtPercent(rate.value)}
        formatter={(v) => (
          <span data-testid="kpi-value" className={rate.value === null ? 'ow-kpi-none' : undefined}>
            {v}
          </span>
        )}
      />
      <div className="ow-kpi-fraction" data-testid="kpi-fraction" title={t('stats.fractionLabel')}>
        {fmtFraction(rate)}
      </div>
    </Card>
  );
}

function ChartCard({ title, hint, children, testId }: { title: string; hint?: string; children: ReactNode; testId?: string }) {
  return (
    <Card className="ow-card ow-chart-card" title={title} extra={hint ? <Typography.Text type="secondary" className="ow-chart-hint">{hint}</Typography.Text> : undefined} data-testid={testId}>
      {children}
    </Card>
  );
}

function ChartEmpty() {
  const { t } = useTranslation();
  return <Empty className="ow-chart-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('stats.charts.empty')} />;
}

const axisTooltip = { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };

/** The filter bar: period, department, town (or a division code), channel. */
function FilterBar({
  filter,
  imposed,
  onChange,
  onReset,
}: {
  filter: StatsFilter;
  /** what the server imposes on the caller (a reviewer's department, a town clerk's region): shown, not changeable */
  imposed: { departmentCode: string | null; regionCode: string | null };
  onChange: (patch: Partial<StatsFilter>) => void;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const { towns, loading: townsLoading, failed: townsFailed } = useTowns();
  const shownRegion = filter.regionCode ?? imposed.regionCode ?? '';
  const [regionText, setRegionText] = useState(shownRegion);
  useEffect(() => setRegionText(shownRegion), [shownRegion]);
  const today = dayjs(todayInShanghai());
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('stats.filters.presets.year'), value: [today.startOf('year'), today] },
    { label: t('stats.filters.presets.month'), value: [today.startOf('month'), today] },
    { label: t('stats.filters.presets.lastMonth'), value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] },
    { label: t('stats.filters.presets.last12'), value: [today.subtract(11, 'month').startOf('month'), today] },
  ];
  const commitRegion = () => {
    const v = regionText.trim();
    if (v === (filter.regionCode ?? '')) return;
    if (v === '' || REGION_CODE.test(v)) onChange({ regionCode: v || null });
  };
  return (
    <Card className="ow-card ow-stats-filters" size="small" data-testid="stats-filters">
      <div className="ow-stats-filter-row">
        <label className="ow-stats-filter">
          <span className="ow-stats-filter-label">{t('stats.filters.period')}</span>
          <RangePicker
            value={[dayjs(filter.from), dayjs(filter.to)]}
            allowClear={false}
            presets={presets}
            disabledDate={(d) => d.isAfter(today, 'day')}
            onChange={(v) => {
              if (v?.[0] && v[1]) onChange({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
            }}
            data-testid="stats-period"
          />
        </label>
        <label className="ow-stats-filter">
          <span className="ow-stats-filter-label">{t('stats.filters.department')}</span>
          <Select
            className="ow-stats-filter-dept"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('stats.filters.allDepartments')}
            aria-label={t('stats.filters.department')}
            loading={departments.isLoading}
            value={filter.departmentCode ?? imposed.departmentCode ?? undefined}
            disabled={!!imposed.departmentCode}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: deptDisplayName(d) ?? d.code }))}
            onChange={(v?: string) => onChange({ departmentCode: v ?? null })}
            data-testid="stats-department"
          />
        </label>
        <label className="ow-stats-filter">
          <span className="ow-stats-filter-label">{t('stats.filters.town')}</span>
          {townsFailed ? (
            <Input
              className="ow-stats-filter-town"
              allowClear
              inputMode="numeric"
              placeholder={t('stats.filters.regionCodePlaceholder')}
              aria-label={t('stats.filters.town')}
              value={regionText}
              status={regionText && !REGION_CODE.test(regionText.trim()) ? 'error' : undefined}
              disabled={!!imposed.regionCode}
              onChange={(e) => {
                setRegionText(e.target.value);
                if (e.target.value === '' && filter.regionCode) onChange({ regionCode: null });
              }}
              onBlur={commitRegion}
              onPressEnter={commitRegion}
              data-testid="stats-region-code"
            />
          ) : (
            <Select
              className="ow-stats-filter-town"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('stats.filters.allTowns')}
              aria-label={t('stats.filters.town')}
              loading={townsLoading}
              value={filter.regionCode ?? imposed.regionCode ?? undefined}
              disabled={!!imposed.regionCode}
              options={towns.map((r) => ({ value: r.code, label: r.name }))}
              onChange={(v?: string) => onChange({ regionCode: v ?? null })}
              data-testid="stats-town"
            />
          )}
        </label>
        <label className="ow-stats-filter">
          <span className="ow-stats-filter-label">{t('stats.filters.channel')}</span>
          <Select
            className="ow-stats-filter-channel"
            allowClear
            placeholder={t('stats.filters.allChannels')}
            aria-label={t('stats.filters.channel')}
            value={filter.channel ?? undefined}
            options={APP_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            onChange={(v?: AppChannel) => onChange({ channel: v ?? null })}
            data-testid="stats-channel"
          />
        </label>
        <Button onClick={onReset} data-testid="stats-reset">
          {t('stats.filters.reset')}
        </Button>
      </div>
    </Card>
  );
}

/** 超期 / 预警: the number, large, linked to the list of those cases. */
function ClockCard({ summary, filter }: { summary: StatsSummary; filter: StatsFilter }) {
  const { t } = useTranslation();
  const item = (clock: ClockFilter, n: number, icon: ReactNode) => (
    <Link to={drillDownUrl(filter, { clock })} className={`ow-clock ow-clock-${clock}${n > 0 ? ' is-set' : ''}`} data-testid={`clock-${clock}`} data-count={n}>
      <span className="ow-clock-icon" aria-hidden>
        {icon}
      </span>
      <span className="ow-clock-text">
        <span className="ow-clock-label">{t(`stats.clock.${clock}`)}</span>
        <span className="ow-clock-value" data-testid={`clock-${clock}-value`}>
          {fmtCount(n)}
          <small> {t('stats.clock.unit')}</small>
        </span>
        <span className="ow-clock-hint">{t(`stats.clock.${clock}Hint`)}</span>
      </span>
      <span className="ow-clock-go">{t('stats.clock.view')} ›</span>
    </Link>
  );
  return (
    <Card className="ow-card ow-clock-card" title={t('stats.clock.title')} data-testid="stats-clock">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {item('overdue', summary.counts.overdue, <WarningOutlined />)}
        {item('warning', summary.counts.warning, <ClockCircleOutlined />)}
      </Space>
    </Card>
  );
}

function CountsCard({ summary }: { summary: StatsSummary }) {
  const { t } = useTranslation();
  return (
    <Card className="ow-card" title={t('stats.counts.title')} data-testid="stats-counts">
      <Row gutter={[16, 16]}>
        {COUNT_KEYS.map((k) => (
          <Col xs={12} sm={8} lg={6} key={k}>
            <Statistic
              title={t(`stats.counts.${k}`)}
              value={summary.counts[k]}
              formatter={(v) => <span data-testid={`count-${k}`}>{fmtCount(Number(v))}</span>}
              suffix={
                k === 'evaluated' && summary.counts.defaultEvaluated > 0 ? (
                  <span className="ow-count-sub">
                    （{t('stats.counts.defaultEvaluated')} {fmtCount(summary.counts.defaultEvaluated)}）
                  </span>
                ) : undefined
              }
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function CatalogCard({ summary }: { summary: StatsSummary }) {
  const { t } = useTranslation();
  const c = summary.catalog;
  return (
    <Card className="ow-card" title={t('stats.catalog.title')} data-testid="stats-catalog">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('stats.catalog.items')} value={c.items} formatter={(v) => fmtCount(Number(v))} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('stats.catalog.immediateItems')} value={c.immediateItems} formatter={(v) => fmtCount(Number(v))} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('stats.catalog.licenseFreeItems')} value={c.licenseFreeItems} formatter={(v) => fmtCount(Number(v))} />
        </Col>
        <Col xs={12} md={6}>
          <div className="ow-levels">
            <div className="ant-statistic-title">{t('stats.catalog.levels')}</div>
            {(['district', 'town', 'village'] as const).map((l) => (
              <div key={l} className="ow-level-row">
                <span>{t(`level.${l}`)}</span>
                <strong>{fmtCount(c.levels[l])}</strong>
              </div>
            ))}
          </div>
        </Col>
      </Row>
    </Card>
  );
}

/** One breakdown as a table: each row's figures, its rates, and a link to its cases. */
function BreakdownTable({ by, filter, rows, loading }: { by: BreakdownBy; filter: StatsFilter; rows: BreakdownRow[]; loading: boolean }) {
  const { t } = useTranslation();
  const deptLabel = useDeptLabel();
  const scroll = useTableScroll();
  const drill = (r: BreakdownRow): string | null => {
    switch (by) {
      case 'month':
        return drillDownUrl(filter, { month: r.key });
      case 'department':
        return drillDownUrl(filter, { departmentCode: r.key });
      case 'town':
        return REGION_CODE.test(r.key) ? drillDownUrl(filter, { regionCode: r.key }) : null;
      case 'channel':
        return (APP_CHANNELS as readonly string[]).includes(r.key) ? drillDownUrl(filter, { channel: r.key }) : null;
      default:
        return null;
    }
  };
  /** the open overdue cases of the row (now, whatever their submission date) */
  const overdueUrl = (r: BreakdownRow): string | null => {
    switch (by) {
      case 'department':
        return drillDownUrl(filter, { departmentCode: r.key, clock: 'overdue' });
      case 'town':
        return REGION_CODE.test(r.key) ? drillDownUrl(filter, { regionCode: r.key, clock: 'overdue' }) : null;
      case 'channel':
        return (APP_CHANNELS as readonly string[]).includes(r.key) ? drillDownUrl(filter, { channel: r.key, clock: 'overdue' }) : null;
      default:
        return null;
    }
  };
  const label = (r: BreakdownRow): ReactNode => {
    switch (by) {
      case 'department':
        return deptLabel(r.key, r.label);
      case 'channel':
        return (APP_CHANNELS as readonly string[]).includes(r.key) ? t(`channel.${r.key as AppChannel}`) : r.label || r.key;
      case 'item':
        return (
          <span>
            {r.label}
            <span className="owp-code ow-item-code"> {r.key}</span>
          </span>
        );
      default:
        return r.label || r.key;
    }
  };
  const num = (n: number) => <span className="ow-num">{fmtCount(n)}</span>;
  const columns: TableProps<BreakdownRow>['columns'] = [
    {
      title: t(`stats.breakdown.key.${by}`),
      key: 'label',
      fixed: 'left',
      render: (_, r) => {
        const to = drill(r);
        return to ? (
          <Link to={to} data-testid="breakdown-link" title={t('stats.breakdown.openHint')}>
            {label(r)}
          </Link>
        ) : (
          label(r)
        );
      },
    },
    { title: t('stats.breakdown.submitted'), key: 'submitted', align: 'right', render: (_, r) => num(r.counts.submitted), sorter: (a, b) => a.counts.submitted - b.counts.submitted },
    { title: t('stats.breakdown.accepted'), key: 'accepted', align: 'right', render: (_, r) => num(r.counts.accepted) },
    { title: t('stats.breakdown.decided'), key: 'decided', align: 'right', render: (_, r) => num(r.counts.decided) },
    { title: t('stats.breakdown.onTime'), key: 'onTime', align: 'right', render: (_, r) => num(r.counts.onTime) },
    {
      title: (
        <Tooltip title={t('stats.clock.overdueHint')}>
          <span>{t('stats.breakdown.overdue')}</span>
        </Tooltip>
      ),
      key: 'overdue',
      align: 'right',
      render: (_, r) => {
        const n = <span className={r.counts.overdue > 0 ? 'ow-num owp-overdue' : 'ow-num'}>{fmtCount(r.counts.overdue)}</span>;
        const to = r.counts.overdue > 0 ? overdueUrl(r) : null;
        return to ? (
          <Link to={to} data-testid="breakdown-overdue" title={t('stats.clock.overdueHint')}>
            {n}
          </Link>
        ) : (
          n
        );
      },
    },
    { title: t('stats.breakdown.completion'), key: 'completion', align: 'right', render: (_, r) => <RateValue rate={r.rates.completion} /> },
    { title: t('stats.breakdown.onTimeRate'), key: 'onTimeRate', align: 'right', render: (_, r) => <RateValue rate={r.rates.onTime} /> },
    { title: t('stats.breakdown.satisfaction'), key: 'satisfaction', align: 'right', render: (_, r) => <RateValue rate={r.rates.satisfaction} /> },
    {
      title: t('pages.common.operations'),
      key: 'op',
      render: (_, r) => {
        const to = drill(r);
        if (to)
          return (
            <Link to={to} data-testid="breakdown-open">
              {t('stats.breakdown.open')} ›
            </Link>
          );
        return by === 'item' ? <Link to={`/items/${encodeURIComponent(r.key)}`}>{t('stats.breakdown.guide')}</Link> : null;
      },
    },
  ];
  return (
    <Table<BreakdownRow>
      rowKey="key"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      scroll={scroll ?? { x: 960 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('stats.empty')} /> }}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      onRow={(r) => ({ 'data-testid': 'breakdown-row', 'data-key': r.key, 'data-by': by }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}

export default function StatsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const today = todayInShanghai();
  const filter = useMemo(() => readStatsFilter(params, today), [params, today]);
  const [tab, setTab] = useState<BreakdownBy>('month');

  const summary = useSummary(filter);
  const monthly = useBreakdown('month', filter);
  const byDept = useBreakdown('department', filter);
  const byTown = useBreakdown('town', filter);
  const byChannel = useBreakdown('channel', filter);
  const byItem = useBreakdown('item', filter, tab === 'item');
  const breakdowns: Record<BreakdownBy, typeof monthly> = { month: monthly, department: byDept, town: byTown, channel: byChannel, item: byItem };
  const deptLabel = useDeptLabel();

  const s = summary.data;
  // the filters in force: the server imposes a reviewer's department and a town clerk's region
  const imposed = {
    departmentCode: !filter.departmentCode ? (s?.filter.departmentCode ?? null) : null,
    regionCode: !filter.regionCode ? (s?.filter.regionCode ?? null) : null,
  };
  const eff = useMemo<StatsFilter>(
    () => ({ ...filter, departmentCode: filter.departmentCode ?? imposed.departmentCode, regionCode: filter.regionCode ?? imposed.regionCode }),
    [filter, imposed.departmentCode, imposed.regionCode],
  );
  const update = (patch: Partial<StatsFilter>) => setParams(new URLSearchParams(statsQuery({ ...filter, ...patch })), { replace: true });
  const go = useCallback((to: string) => navigate(to), [navigate]);
  const drillMonth = useCallback((c: ChartClick) => go(drillDownUrl(eff, { month: c.key })), [eff, go]);
  const drillDept = useCallback((c: ChartClick) => go(drillDownUrl(eff, { departmentCode: c.key })), [eff, go]);
  const drillTown = useCallback((c: ChartClick) => REGION_CODE.test(c.key) && go(drillDownUrl(eff, { regionCode: c.key })), [eff, go]);
  const drillChannel = useCallback((c: ChartClick) => go(drillDownUrl(eff, { channel: c.key })), [eff, go]);
  // the charts' options, built again only when their data or the language change (a new option redraws the chart)
  const { monthRows, monthlyOption, deptRows, deptOption, townRows, townOption, channelData, channelOption, ratingCounts, ratingOption, depthData, depthOption } = useMemo(() => {
    const submittedName = t('stats.charts.submitted');
    const decidedName = t('stats.charts.decided');
    const rateName = t('stats.charts.completionRate');
    const pctFormatter = (v: unknown) => (v === null || v === undefined || v === '-' ? '—' : `${Number(v).toFixed(2)}%`);

    const monthRows = monthly.data?.rows ?? [];
    const monthlyOption: ChartOption = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 16, right: 16, top: 48, bottom: 8 },
      xAxis: { type: 'category', data: monthRows.map((r) => r.key) },
      yAxis: [
        { type: 'value', name: t('stats.charts.count'), minInterval: 1 },
        { type: 'value', name: rateName, min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: submittedName, itemStyle: { color: COLORS.submitted }, data: monthRows.map((r) => ({ value: r.counts.submitted, key: r.key })) },
        { type: 'bar', name: decidedName, itemStyle: { color: COLORS.decided }, data: monthRows.map((r) => ({ value: r.counts.decided, key: r.key })) },
        {
          type: 'line',
          name: rateName,
          yAxisIndex: 1,
          itemStyle: { color: COLORS.rate },
          tooltip: { valueFormatter: pctFormatter },
          data: monthRows.map((r) => ({ value: percentValue(r.rates.completion), key: r.key })),
        },
      ],
    };

    const deptRows = [...(byDept.data?.rows ?? [])].sort((a, b) => a.counts.submitted - b.counts.submitted);
    const deptOption: ChartOption = {
      tooltip: axisTooltip,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: deptRows.map((r) => deptLabel(r.key, r.label)), axisLabel: { width: 150, overflow: 'truncate' } },
      series: [
        { type: 'bar', name: submittedName, itemStyle: { color: COLORS.submitted }, data: deptRows.map((r) => ({ value: r.counts.submitted, key: r.key })) },
        { type: 'bar', name: decidedName, itemStyle: { color: COLORS.decided }, data: deptRows.map((r) => ({ value: r.counts.decided, key: r.key })) },
      ],
    };

    const townRows = byTown.data?.rows ?? [];
    const townOption: ChartOption = {
      tooltip: axisTooltip,
      legend: { top: 0 },
      grid: { left: 16, right: 16, top: 36, bottom: 8 },
      xAxis: { type: 'category', data: townRows.map((r) => r.label || r.key), axisLabel: { interval: 0, rotate: townRows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: submittedName, itemStyle: { color: COLORS.submitted }, data: townRows.map((r) => ({ value: r.counts.submitted, key: r.key })) },
        { type: 'bar', name: decidedName, itemStyle: { color: COLORS.decided }, data: townRows.map((r) => ({ value: r.counts.decided, key: r.key })) },
      ],
    };

    const channelData = s ? APP_CHANNELS.map((c) => ({ name: t(`channel.${c}`), value: s.channels[c], key: c, itemStyle: { color: CHANNEL_COLORS[c] } })).filter((d) => d.value > 0) : [];
    const channelOption: ChartOption = {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', name: t('stats.charts.channels'), radius: ['38%', '68%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' }, data: channelData }],
    };

    const ratingCounts = s ? RATINGS.map((r) => s.ratings[r]) : [];
    const ratingOption: ChartOption = {
      tooltip: axisTooltip,
      grid: { left: 16, right: 16, top: 24, bottom: 8 },
      xAxis: { type: 'category', data: RATINGS.map((r) => t(`stats.rating.${r}`)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('stats.charts.count'),
          label: { show: true, position: 'top' },
          data: ratingCounts.map((v, i) => ({ value: v, itemStyle: { color: RATING_COLORS[i] } })),
        },
      ],
    };

    const depthData = s ? ONLINE_DEPTHS.map((d) => ({ name: t(`depth.${d}`), value: s.catalog.onlineDepth[d], itemStyle: { color: DEPTH_COLORS[d] } })).filter((d) => d.value > 0) : [];
    const depthOption: ChartOption = {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', name: t('stats.charts.onlineDepth'), radius: ['38%', '68%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' }, data: depthData }],
    };
    return { monthRows, monthlyOption, deptRows, deptOption, townRows, townOption, channelData, channelOption, ratingCounts, ratingOption, depthData, depthOption };
  }, [monthly.data, byDept.data, byTown.data, s, t, deptLabel]);

  const refresh = () => void qc.invalidateQueries({ queryKey: ['stats'] });

  return (
    <div className="ow-stats">
      <PageHeading
        title={t('stats.title')}
        subtitle={t('stats.subtitle')}
        testId="stats-title"
        extra={
          <Space wrap>
            {s && (
              <Typography.Text type="secondary" data-testid="stats-as-of">
                {t('stats.asOf', { time: fmtTime(s.asOf) })}
              </Typography.Text>
            )}
            <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="stats-refresh">
              {t('stats.refresh')}
            </Button>
            <Tooltip title={t('stats.exportHint')}>
              <Button type="primary" icon={<DownloadOutlined />} href={exportUrl(eff)} download data-testid="stats-export">
                {t('stats.export')}
              </Button>
            </Tooltip>
          </Space>
        }
      />
      <FilterBar filter={filter} imposed={imposed} onChange={update} onReset={() => setParams(new URLSearchParams(), { replace: true })} />

      {summary.isError && <QueryError error={summary.error} onRetry={() => void summary.refetch()} />}
      {!s && summary.isLoading && (
        <Card className="ow-card">
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      )}

      {s && (
        <>
          <Row gutter={[16, 16]} className="ow-kpis" data-testid="stats-kpis">
            {CASE_RATES.map((k) => (
              <Col xs={24} sm={12} lg={8} key={k}>
                <KpiCard k={k} rate={s.rates[k]} />
              </Col>
            ))}
            {CATALOG_RATES.map((k) => (
              <Col xs={24} sm={12} lg={8} key={k}>
                <KpiCard k={k} rate={s.catalog[k]} />
              </Col>
            ))}
          </Row>

          <Row gutter={16} className="ow-stats-row">
            <Col xs={24} lg={16}>
              <CountsCard summary={s} />
            </Col>
            <Col xs={24} lg={8}>
              <ClockCard summary={s} filter={eff} />
            </Col>
          </Row>

          <Row gutter={16}>
            <Col xs={24} xl={16}>
              <ChartCard title={t('stats.charts.monthly')} hint={t('stats.charts.drillHint')}>
                {monthRows.length ? <Chart testId="chart-monthly" label={t('stats.charts.monthly')} option={monthlyOption} height={340} onItemClick={drillMonth} /> : <ChartEmpty />}
              </ChartCard>
            </Col>
            <Col xs={24} xl={8}>
              <ChartCard title={t('stats.charts.channels')} hint={t('stats.charts.drillHint')}>
                {channelData.length ? <Chart testId="chart-channels" label={t('stats.charts.channels')} option={channelOption} height={340} onItemClick={drillChannel} /> : <ChartEmpty />}
              </ChartCard>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <ChartCard title={t('stats.charts.department')} hint={t('stats.charts.drillHint')}>
                {deptRows.length ? (
                  <Chart testId="chart-department" label={t('stats.charts.department')} option={deptOption} height={Math.max(280, deptRows.length * 44 + 70)} onItemClick={drillDept} />
                ) : (
                  <ChartEmpty />
                )}
              </ChartCard>
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard title={t('stats.charts.town')} hint={t('stats.charts.drillHint')}>
                {townRows.length ? <Chart testId="chart-town" label={t('stats.charts.town')} option={townOption} height={320} onItemClick={drillTown} /> : <ChartEmpty />}
              </ChartCard>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <ChartCard title={t('stats.charts.ratings')}>
                {ratingCounts.some((n) => n > 0) ? <Chart testId="chart-ratings" label={t('stats.charts.ratings')} option={ratingOption} height={300} /> : <ChartEmpty />}
              </ChartCard>
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard title={t('stats.charts.onlineDepth')}>
                {depthData.length ? <Chart testId="chart-depth" label={t('stats.charts.onlineDepth')} option={depthOption} height={300} /> : <ChartEmpty />}
              </ChartCard>
            </Col>
          </Row>

          <Card className="ow-card" title={t('stats.breakdown.title')} data-testid="stats-breakdowns">
            <Tabs
              activeKey={tab}
              onChange={(k) => setTab(k as BreakdownBy)}
              items={BREAKDOWN_DIMENSIONS.map((by) => {
                const q = breakdowns[by];
                return {
                  key: by,
                  label: <span data-testid={`breakdown-tab-${by}`}>{t(`stats.breakdown.${by}`)}</span>,
                  children: (
                    <>
                      {q.isError && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
                      <BreakdownTable by={by} filter={eff} rows={q.data?.rows ?? []} loading={q.isFetching && !q.data} />
                    </>
                  ),
                };
              })}
            />
          </Card>

          <CatalogCard summary={s} />
        </>
      )}
    </div>
  );
}
