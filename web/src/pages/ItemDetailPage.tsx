import type { ReactNode } from 'react';
import { Alert, Breadcrumb, Button, Card, Descriptions, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EnvironmentOutlined, FormOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api';
import {
  CHANNELS,
  MATERIAL_KINDS,
  PROCEDURE_KINDS,
  SERVICE_LEVELS,
  type Hall,
  type Item,
  type Material,
  type SpecialProcedure,
} from '../types';
import { DepthTag, LimitDays } from '../components/DepthTag';
import { ItemBadges } from '../components/ItemBadges';
import { useLicenseTypeName } from '../components/licenses';
import { QueryError } from '../components/QueryState';
import { hasRole, isApplicant, PageSpin, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { fmtLimit, fmtTime, itemTypeName, joinList } from '../format';

const SERVICE_OBJECTS = ['1', '2', '3', '4', '5', '6', '9'] as const;

export function useItem(code: string | undefined) {
  return useQuery({
    queryKey: ['item', code],
    queryFn: () => api<Item>(`/items/${encodeURIComponent(code ?? '')}`),
    enabled: !!code,
  });
}

export function useHalls() {
  return useQuery({
    queryKey: ['halls'],
    queryFn: () => api<{ items: Hall[] }>('/halls'),
    staleTime: 10 * 60_000,
  });
}

const isOneOf = <T extends string>(list: readonly T[], v: string | null | undefined): v is T =>
  !!v && (list as readonly string[]).includes(v);

/** One numbered section of the guide, with a heading that the page's table of contents links to. */
function Section({ id, title, children, testId }: { id: string; title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card className="ow-card ow-guide-section" id={id} data-testid={testId}>
      <h2 className="ow-guide-h2">{title}</h2>
      {children}
    </Card>
  );
}

/** Text from the catalogue, with its line breaks; "暂未公布" when empty. */
function Text({ value, testId }: { value?: string | null; testId?: string }) {
  const { t } = useTranslation();
  const v = value?.trim();
  return (
    <div className={v ? 'ow-pre ow-guide-text' : 'ow-guide-muted'} data-testid={testId}>
      {v || t('guide.notPublished')}
    </div>
  );
}

export default function ItemDetailPage() {
  const { code } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: user } = useMe();
  const item = useItem(code);
  const halls = useHalls();
  const departmentName = useDepartmentName();
  const licenseTypeName = useLicenseTypeName();

  if (item.isLoading) return <PageSpin />;
  if (item.isError) {
    if (isApiError(item.error) && item.error.status === 404)
      return (
        <Result
          status="404"
          title={t('item.notFound')}
          subTitle={item.error.message}
          extra={<Link to="/items">{t('item.back')}</Link>}
        />
      );
    return <QueryError error={item.error} onRetry={() => void item.refetch()} />;
  }
  const it = item.data!;
  const applyPath = `/apply/${encodeURIComponent(it.code)}`;
  // an agent applies for the applicants who authorised them (帮办代办); a window clerk takes it in person
  const agent = hasRole(user, ['agent']);
  const clerk = hasRole(user, ['clerk']);
  const staffOnly = !!user && !isApplicant(user) && !agent && !clerk;
  // only the public texts; `limitSource.note` is internal and never shown
  const src = it.limitSource && typeof it.limitSource === 'object' ? it.limitSource : null;
  const statutorySource = typeof src?.statutory === 'string' ? src.statutory.trim() : '';
  const committedSource = typeof src?.committed === 'string' ? src.committed.trim() : '';
  const objectName = (c: string) =>
    (SERVICE_OBJECTS as readonly string[]).includes(c) ? t(`serviceObject.${c as (typeof SERVICE_OBJECTS)[number]}`) : c;
  const serviceObjects = Array.isArray(it.serviceObjects)
    ? joinList(it.serviceObjects.map(objectName))
    : it.serviceObjects;
  const levels = (it.serviceLevels ?? []).map((l) => (isOneOf(SERVICE_LEVELS, l) ? t(`level.${l}`) : l));
  const channels = (it.channels ?? []).map((c) => (isOneOf(CHANNELS, c) ? t(`channel.${c}`) : c));
  const districtHalls = (halls.data?.items ?? []).filter((h) => h.kind === 'district_hall');
  const townHalls = (halls.data?.items ?? []).filter((h) => h.kind === 'town_centre');
  const fees = it.fees ?? { charged: false };
  const procedures = it.specialProcedures ?? [];
  const commitment = it.notificationCommitment ?? { eligible: false };
  const visits = it.requiredVisits;

  const intakePath = `/workbench?tab=intake&item=${encodeURIComponent(it.code)}`;
  const applyButtonWith = (testId: string) =>
    clerk ? (
      <Button type="primary" size="large" icon={<FormOutlined />} data-testid={testId} onClick={() => navigate(intakePath)}>
        {t('item.takeAtWindow')}
      </Button>
    ) : (
      <Button
        type="primary"
        size="large"
        icon={<FormOutlined />}
        data-testid={testId}
        disabled={staffOnly}
        onClick={() => navigate(user ? applyPath : `/login?next=${encodeURIComponent(applyPath)}`)}
      >
        {!user ? t('item.loginToApply') : agent ? t('item.applyForOthers') : t('item.apply')}
      </Button>
    );
  const applyButton = applyButtonWith('apply-button');

  const columns: TableProps<Material>['columns'] = [
    { title: '#', key: 'idx', width: 52, render: (_, __, i) => i + 1 },
    {
      title: t('item.materialName'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, m) => (
        <div>
          <div className="ow-material-title">{name}</div>
          {(m.licenseType || m.conditionalAllowed) && (
            <Space size={[4, 4]} wrap className="ow-material-tags">
              {m.licenseType && (
                <Tag color="green" data-testid="material-elicence" data-license-type={m.licenseType}>
                  {t('badge.licenseFree')}
                </Tag>
              )}
              {m.conditionalAllowed && (
                <Tag color="gold" data-testid="material-conditional">
                  {t('badge.conditional')}
                </Tag>
              )}
            </Space>
          )}
          {m.licenseType && <div className="ow-source" data-testid="material-elicence-type">{t('licenses.guide.material', { type: licenseTypeName(m.licenseType) })}</div>}
        </div>
      ),
    },
    {
      title: t('guide.materialKind'),
      key: 'kind',
      width: 120,
      responsive: ['md'],
      render: (_, m) => (isOneOf(MATERIAL_KINDS, m.kind) ? t(`materialKind.${m.kind}`) : m.kind || '—'),
    },
    {
      title: t('item.necessity'),
      key: 'required',
      width: 96,
      render: (_, m) =>
        m.required === false ? <Tag>{t('item.optional')}</Tag> : <Tag color="red">{t('item.required')}</Tag>,
    },
    {
      title: t('item.original'),
      key: 'original',
      width: 80,
      render: (_, m) => (m.original != null ? t('item.copiesCount', { count: m.original }) : '—'),
    },
    {
      title: t('item.copies'),
      key: 'copies',
      width: 88,
      render: (_, m) => (m.copies != null ? t('item.copiesCount', { count: m.copies }) : '—'),
    },
    { title: t('item.note'), dataIndex: 'note', key: 'note', render: (n?: string | null) => n || '—' },
  ];

  const procedureColumns: TableProps<SpecialProcedure>['columns'] = [
    {
      title: t('guide.special'),
      key: 'kind',
      render: (_, p) => (isOneOf(PROCEDURE_KINDS, p.kind) ? t(`procedureKind.${p.kind}`) : p.kind),
    },
    {
      title: t('guide.typicalDays'),
      key: 'days',
      width: 180,
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_, p) => fmtLimit(p.typicalDays, p.unit),
    },
    { title: t('guide.procedureBasis'), key: 'basis', render: (_, p) => p.basis || '—' },
  ];

  const sections: { id: string; title: string }[] = [
    { id: 'guide-basic', title: t('guide.basic') },
    { id: 'guide-limits', title: t('guide.limits') },
    { id: 'guide-conditions', title: t('guide.conditions') },
    { id: 'guide-materials', title: t('guide.materials') },
    { id: 'guide-fees', title: t('guide.fees') },
    { id: 'guide-place', title: t('guide.place') },
    { id: 'guide-visits', title: t('guide.visits') },
    { id: 'guide-special', title: t('guide.special') },
    { id: 'guide-commitment', title: t('guide.commitment') },
    { id: 'guide-legal', title: t('guide.legalBasis') },
  ];
  const labelStyle = { whiteSpace: 'nowrap' as const, width: 168 };

  return (
    <div className="ow-guide">
      <Breadcrumb
        className="ow-no-print"
        style={{ marginBottom: 16 }}
        items={[{ title: <Link to="/items">{t('nav.items')}</Link> }, { title: it.name }]}
      />
      <Card className="ow-card ow-guide-head">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap align="start">
          <div>
            <Typography.Text type="secondary">{t('item.guide')}</Typography.Text>
            <Typography.Title level={1} className="ow-guide-title" data-testid="item-name">
              {it.name}
            </Typography.Title>
            <Space wrap size={[6, 6]}>
              {(it.type || it.typeName) && <Tag color="blue">{itemTypeName(it.type, it.typeName)}</Tag>}
              {it.projectType && <Tag color="purple">{t(`projectType.${it.projectType}`)}</Tag>}
              <DepthTag depth={it.onlineDepth} />
              {it.limitUnknown && (
                <Tag color="orange" data-testid="limit-unknown-tag">
                  {t('badge.limitUnknown')}
                </Tag>
              )}
              {commitment.eligible && <Tag color="magenta">{t('badge.commitment')}</Tag>}
              <ItemBadges item={it} />
            </Space>
          </div>
          <Space wrap className="ow-no-print">
            <Button size="large" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-guide">
              {t('guide.print')}
            </Button>
            {staffOnly ? <Tooltip title={t('item.staffCannotApply')}>{applyButton}</Tooltip> : applyButton}
          </Space>
        </Space>
        <nav className="ow-guide-toc ow-no-print" aria-label={t('guide.contents')}>
          <span className="ow-guide-toc-label">
            {t('guide.contents')}
            {t('common.colon')}
          </span>
          {sections.map((s) => (
            <a key={s.id} href={`#${s.id}`}>
              {s.title}
            </a>
          ))}
        </nav>
        <div className="ow-print-only ow-guide-muted">{t('guide.printedAt', { time: fmtTime(new Date().toISOString()) })}</div>
      </Card>

      <Section id="guide-basic" title={t('guide.basic')} testId="guide-basic">
        <Descriptions bordered column={{ xs: 1, sm: 1, md: 2 }} size="middle" styles={{ label: labelStyle }}>
          <Descriptions.Item label={t('item.code')}>
            <span className="ow-mono">{it.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('guide.baseCode')}>
            {it.baseCode ? <span className="ow-mono">{it.baseCode}</span> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('item.type')}>{itemTypeName(it.type, it.typeName)}</Descriptions.Item>
          <Descriptions.Item label={t('item.projectType')}>
            {it.projectType ? t(`projectType.${it.projectType}`) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('guide.authority')} span={2}>
            <span data-testid="item-authority">{departmentName(it.departmentCode, it.departmentName)}</span>
            {it.delegatedFrom?.name && (
              <div className="ow-source" data-testid="item-delegated">
                {t('guide.delegated', { name: it.delegatedFrom.name })}
              </div>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('item.serviceObjects')}>{serviceObjects || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('item.depth')}>
            <DepthTag depth={it.onlineDepth} />
          </Descriptions.Item>
          {!!it.keywords?.length && (
            <Descriptions.Item label={t('guide.keywords')} span={2}>
              {joinList(it.keywords)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Section>

      <Section id="guide-limits" title={t('guide.limits')} testId="guide-limits">
        {it.limitUnknown ? (
          <Alert
            type="warning"
            showIcon
            data-testid="limit-unknown"
            title={<strong>{t('guide.limitUnknown')}</strong>}
            description={t('guide.limitUnknownHint')}
          />
        ) : (
          <Descriptions bordered column={1} size="middle" styles={{ label: labelStyle }}>
            <Descriptions.Item label={t('item.statutory')}>
              <span data-testid="statutory-limit" className="ow-guide-limit">
                <LimitDays days={it.statutoryLimitDays} unit={it.statutoryLimitUnit} kind="statutory" />
              </span>
              {statutorySource && (
                <div className="ow-source" data-testid="statutory-source">
                  {t('item.basis')}
                  {statutorySource}
                </div>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('item.committed')}>
              <Typography.Text strong className="ow-guide-limit" style={{ color: '#1b5e20' }} data-testid="committed-limit">
                <LimitDays days={it.committedLimitDays} unit={it.committedLimitUnit} />
              </Typography.Text>
              {committedSource && (
                <div className="ow-source" data-testid="committed-source">
                  {t('item.basis')}
                  {committedSource}
                </div>
              )}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Section>

      <Section id="guide-conditions" title={t('guide.conditions')} testId="guide-conditions">
        <Text value={it.acceptanceConditions} testId="acceptance-conditions" />
      </Section>

      <Section id="guide-materials" title={t('guide.materials')} testId="guide-materials">
        <Table<Material>
          rowKey={(m) => String(m.id)}
          columns={columns}
          dataSource={it.materials ?? []}
          pagination={false}
          locale={{ emptyText: t('guide.noMaterials') }}
          onRow={() => ({ 'data-testid': 'material-row' }) as React.HTMLAttributes<HTMLElement>}
          scroll={{ x: 720 }}
          className="ow-guide-table"
        />
        <div className="ow-no-print" style={{ marginTop: 20, textAlign: 'center' }}>
          {!staffOnly && applyButtonWith('apply-button-bottom')}
        </div>
      </Section>

      <Section id="guide-fees" title={t('guide.fees')} testId="guide-fees">
        {fees.charged ? (
          <Descriptions bordered column={1} size="middle" styles={{ label: labelStyle }}>
            <Descriptions.Item label={t('guide.fees')}>
              <Tag color="orange" data-testid="fee-charged">
                {t('guide.charged')}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('guide.feeStandard')}>
              <Text value={fees.standard} testId="fee-standard" />
            </Descriptions.Item>
            <Descriptions.Item label={t('guide.feeBasis')}>
              <Text value={fees.basis} testId="fee-basis" />
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Tag color="green" className="ow-guide-big-tag" data-testid="fee-free">
            {t('guide.free')}
          </Tag>
        )}
      </Section>

      <Section id="guide-place" title={t('guide.place')} testId="guide-place">
        <Descriptions bordered column={1} size="middle" styles={{ label: labelStyle }}>
          <Descriptions.Item label={t('guide.levels')}>
            <span data-testid="service-levels">{levels.length ? joinList(levels) : '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('guide.channels')}>
            <span data-testid="service-channels">{channels.length ? joinList(channels) : '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('guide.halls')}>
            <ul className="ow-hall-list" data-testid="service-halls">
              {districtHalls.map((h) => (
                <li key={h.code}>
                  <EnvironmentOutlined aria-hidden /> <strong>{h.name}</strong>
                  {h.address && <div className="ow-source">{h.address}</div>}
                </li>
              ))}
              {it.townAvailable && (
                <li data-testid="town-halls">
                  <EnvironmentOutlined aria-hidden /> <strong>{t('guide.townHalls')}</strong>
                  {townHalls.length > 0 && (
                    <div className="ow-source">{t('guide.townHallsHint', { count: townHalls.length })}</div>
                  )}
                </li>
              )}
              {!districtHalls.length && !it.townAvailable && <li>—</li>}
            </ul>
          </Descriptions.Item>
          <Descriptions.Item label={t('guide.services')}>
            <Space wrap size={[6, 6]}>
              {it.appointment && <Tag color="blue">{t('badge.appointment')}</Tag>}
              {it.kioskAvailable && <Tag color="cyan">{t('badge.kiosk')}</Tag>}
              {it.licenseFree && <Tag color="green">{t('badge.licenseFree')}</Tag>}
              {it.townAvailable && <Tag color="purple">{t('badge.town')}</Tag>}
              {!it.appointment && !it.kioskAvailable && !it.licenseFree && !it.townAvailable && '—'}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Section>

      <Section id="guide-visits" title={t('guide.visits')} testId="guide-visits">
        <Descriptions bordered column={1} size="middle" styles={{ label: labelStyle }}>
          <Descriptions.Item label={t('item.visits')}>
            <strong data-testid="required-visits">
              {visits != null ? t('item.visitsCount', { count: visits }) : '—'}
            </strong>
            {visits === 0 && <span className="ow-guide-muted">（{t('guide.noVisit')}）</span>}
          </Descriptions.Item>
          {visits != null && visits > 0 && (
            <Descriptions.Item label={t('guide.visitReason')}>
              <Text value={it.visitReason} testId="visit-reason" />
            </Descriptions.Item>
          )}
        </Descriptions>
      </Section>

      <Section id="guide-special" title={t('guide.specialNote')} testId="guide-special">
        {procedures.length ? (
          <>
            <p className="ow-guide-muted">{t('guide.specialHint')}</p>
            <Table<SpecialProcedure>
              rowKey={(p, i) => `${p.kind}-${i}`}
              columns={procedureColumns}
              dataSource={procedures}
              pagination={false}
              onRow={() => ({ 'data-testid': 'special-procedure-row' }) as React.HTMLAttributes<HTMLElement>}
              className="ow-guide-table"
            />
          </>
        ) : (
          <div className="ow-guide-muted">{t('guide.noSpecial')}</div>
        )}
      </Section>

      <Section id="guide-commitment" title={t('guide.commitment')} testId="guide-commitment">
        {commitment.eligible ? (
          <>
            <Tag color="magenta" className="ow-guide-big-tag" data-testid="commitment-eligible">
              {t('guide.commitmentEligible')}
            </Tag>
            {commitment.text?.trim() && <div className="ow-pre ow-guide-text" style={{ marginTop: 12 }}>{commitment.text}</div>}
          </>
        ) : (
          <div className="ow-guide-muted">{t('guide.commitmentNotEligible')}</div>
        )}
      </Section>

      <Section id="guide-legal" title={t('guide.legalBasis')} testId="guide-legal">
        <div className="ow-pre ow-guide-text" data-testid="legal-basis">
          {it.legalBasis || '—'}
        </div>
      </Section>
    </div>
  );
}
