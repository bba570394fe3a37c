/**
 * 大厅公示屏 (/screen): the year's figures on the service hall's big screen, for anyone, without
 * signing in (`GET /stats/public`): totals, the three rates with their numerator / denominator,
 * the applications by month, the catalogue. Dark, large type, readable from across the hall;
 * refreshes every minute (and keeps the last figures while the network is down). `?year=` shows
 * another year.
 */
import { useEffect, useState } from 'react';
import { ConfigProvider, theme } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api } from '../api';
import { fmtTime, isEnglish, TIME_ZONE, todayInShanghai } from '../format';
import { Chart, type ChartOption } from '../components/Chart';
import { fmtCount, fmtPercent, type PublicStats, type Rate } from './statsLogic';
import './screen.css';

const REFRESH_MS = 60_000;

function useNow(ms: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** `2026-03` as 3月 / Mar. */
function monthLabel(month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  const n = Number(month.slice(5));
  return isEnglish() ? dayjs(`${month}-01`).locale('en').format('MMM') : `${n}月`;
}

function BigRate({ k, title, rate, unitKey = 'fraction' }: { k: string; title: string; rate: Rate; unitKey?: 'fraction' | 'fractionItems' | 'fractionPlain' }) {
  const { t } = useTranslation();
  return (
    <div className="ows-rate" data-testid={`screen-rate-${k}`} data-value={rate.value ?? ''}>
      <div className="ows-rate-title">{title}</div>
      <div className="ows-rate-value" data-testid="screen-rate-value">
        {fmtPercent(rate.value)}
      </div>
      <div className="ows-rate-frac" data-testid="screen-rate-fraction">
        {t(`stats.screen.${unitKey}`, { numerator: fmtCount(rate.numerator), denominator: fmtCount(rate.denominator) })}
      </div>
    </div>
  );
}

export default function HallScreenPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear + 1 ? asked : thisYear;
  const now = useNow(1000);

  const q = useQuery({
    queryKey: ['stats', 'public', year],
    queryFn: () => api<PublicStats>('/stats/public', { query: { year } }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    staleTime: REFRESH_MS / 2,
    // a screen on the wall: keep trying, whatever the error
    retry: true,
    retryDelay: (n) => Math.min(5_000 * 2 ** n, REFRESH_MS),
  });

  useEffect(() => {
    const before = document.title;
    document.title = t('stats.screen.title');
    return () => {
      document.title = before;
    };
  }, [t]);

  const d = q.data;
  const months = d?.months ?? [];
  const option: ChartOption = {
    backgroundColor: 'transparent',
    textStyle: { color: '#dbe6ff', fontSize: 18 },
    legend: { top: 0, textStyle: { color: '#dbe6ff', fontSize: 20 }, itemWidth: 28, itemHeight: 16 },
    tooltip: { trigger: 'axis' },
    grid: { left: 16, right: 16, top: 56, bottom: 8 },
    xAxis: {
      type: 'category',
      data: months.map((m) => monthLabel(m.month)),
      axisLabel: { color: '#dbe6ff', fontSize: 18 },
      axisLine: { lineStyle: { color: '#4a5f8a' } },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#9fb3da', fontSize: 16 }, splitLine: { lineStyle: { color: 'rgba(255,255,255,0.12)' } } },
    series: [
      { type: 'bar', name: t('stats.screen.submitted'), itemStyle: { color: '#4d8dff', borderRadius: [4, 4, 0, 0] }, label: { show: months.length <= 12, position: 'top', color: '#dbe6ff', fontSize: 16 }, data: months.map((m) => m.submitted) },
      { type: 'bar', name: t('stats.screen.decided'), itemStyle: { color: '#3ccf8e', borderRadius: [4, 4, 0, 0] }, label: { show: months.length <= 12, position: 'top', color: '#dbe6ff', fontSize: 16 }, data: months.map((m) => m.decided) },
    ],
  };

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm }}>
      <main className="ows" data-testid="hall-screen" aria-live="polite">
        <header className="ows-header">
          <div className="ows-brand">
            <span className="ows-logo" aria-hidden>
              政
            </span>
            <h1 className="ows-title" data-testid="screen-title">
              {t('stats.screen.title')}
            </h1>
          </div>
          <div className="ows-when">
            <div className="ows-year" data-testid="screen-year">
              {t('stats.screen.year', { year })}
            </div>
            <div className="ows-clock">{dayjs(now).tz(TIME_ZONE).format('YYYY-MM-DD HH:mm:ss')}</div>
          </div>
        </header>

        {!d && (
          <div className="ows-status" role="status" data-testid="screen-status">
            {q.isError ? t('stats.screen.error') : t('stats.screen.loading')}
          </div>
        )}

        {d && (
          <>
            <section className="ows-counts" aria-label={t('stats.screen.year', { year })}>
              {(['submitted', 'accepted', 'decided', 'inProgress'] as const).map((k) => (
                <div className="ows-count" key={k} data-testid={`screen-count-${k}`}>
                  <div className="ows-count-title">{t(`stats.screen.${k}`)}</div>
                  <div className="ows-count-value">
                    {fmtCount(d.counts[k])}
                    <small>{t('stats.screen.unitCases')}</small>
                  </div>
                </div>
              ))}
            </section>

            <section className="ows-rates">
              <BigRate k="completion" title={t('stats.kpi.completion')} rate={d.rates.completion} />
              <BigRate k="onTime" title={t('stats.kpi.onTime')} rate={d.rates.onTime} />
              <BigRate k="satisfaction" title={t('stats.kpi.satisfaction')} rate={d.rates.satisfaction} />
            </section>

            <section className="ows-bottom">
              <div className="ows-panel ows-chart-panel">
                <h2 className="ows-panel-title">{t('stats.screen.monthly')}</h2>
                <Chart testId="screen-chart-monthly" label={t('stats.screen.monthly')} option={option} height="clamp(200px, 25vh, 560px)" />
              </div>
              <div className="ows-panel ows-catalog" data-testid="screen-catalog">
                <h2 className="ows-panel-title">{t('stats.screen.catalog')}</h2>
                <div className="ows-facts">
                  <div className="ows-fact">
                    <span>{t('stats.screen.items')}</span>
                    <strong data-testid="screen-items">
                      {fmtCount(d.catalog.items)}
                      <small>{t('stats.screen.unitItems')}</small>
                    </strong>
                  </div>
                  <div className="ows-fact">
                    <span>{t('stats.screen.immediateItems')}</span>
                    <strong>
                      {fmtCount(d.catalog.immediateItems)}
                      <small>{t('stats.screen.unitItems')}</small>
                    </strong>
                  </div>
                  <BigRate k="onlineAvailable" title={t('stats.screen.onlineAvailable')} rate={d.catalog.onlineAvailable} unitKey="fractionItems" />
                  <BigRate k="timeLimitCompression" title={t('stats.screen.timeLimitCompression')} rate={d.catalog.timeLimitCompression} unitKey="fractionPlain" />
                </div>
              </div>
            </section>

            <footer className="ows-footer">
              <span data-testid="screen-as-of">{t('stats.screen.asOf', { time: fmtTime(d.asOf) })}</span>
              {q.isError && <span className="ows-stale">{t('stats.screen.error')}</span>}
              <span>{t('stats.screen.footer')}</span>
            </footer>
          </>
        )}
      </main>
    </ConfigProvider>
  );
}
