import './case.css';
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { FileDoneOutlined, IdcardOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api';
import { useDepartmentName, useDepartments } from '../departments';
import { citizenIdProblem, deptDisplayName, fmtLimit, usccProblem } from '../format';
import type { ApplicantKind, DeliveryMethod, Item, Material, Page } from '../types';
import { CommitmentSection, commitmentBody, useCommitmentChoice } from './CommitmentSection';
import { DeliveryMethodField, MissingMaterialsAlert, SubmitErrorAlert, usePhoneRules, useServiceObjectNames } from './applicationFormParts';
import { useSubmitApplication } from './useSubmitApplication';

interface IntakeValues {
  itemCode?: string;
  kind: ApplicantKind;
  idNumber: string;
  name: string;
  subject: string;
  phone: string;
  address?: string;
  deliveryMethod: DeliveryMethod;
}

/** What the platform records as the "file" of a paper material taken at the window. */
const PAPER = '窗口收取纸质材料';

/** Whether an item serves this kind of applicant: persons need service object 1, legal persons 2 (as the server checks). */
function serves(item: Pick<Item, 'serviceObjects'> | undefined, kind: ApplicantKind): boolean {
  const objects = Array.isArray(item?.serviceObjects) ? item.serviceObjects : null;
  if (!objects || !objects.length) return true;
  return objects.includes(kind === 'person' ? '1' : '2');
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/**
 * 窗口收件 (一窗受理): the comprehensive window takes an application in person for any
 * department's item — the applicant identified by citizen ID number (GB 11643) or unified social
 * credit code (GB 32100), both checked here as the server checks them; the paper materials ticked
 * off against the item's list; how the result is to be delivered. Submits with an
 * Idempotency-Key (a double click makes one case) and opens the new case.
 */
export function WindowIntakeForm() {
  const { t } = useTranslation();
  const [form] = Form.useForm<IntakeValues>();
  // from a service guide's 窗口收件 button: the item chosen already
  const [params] = useSearchParams();
  const preselected = params.get('item') ?? undefined;
  const departments = useDepartments();
  const departmentName = useDepartmentName();
  const [search, setSearch] = useState('');
  const [dept, setDept] = useState<string | undefined>();
  const q = useDebounced(search.trim(), 250);
  const itemCode = Form.useWatch('itemCode', form);
  const kind = Form.useWatch('kind', form) ?? 'person';
  const [received, setReceived] = useState<Record<string, boolean>>({});
  const { mode, agreed, setAgreed, section: commitmentProps, reset: resetCommitment } = useCommitmentChoice();
  const [tried, setTried] = useState(false);
  const phoneRules = usePhoneRules();
  const serviceObjectNames = useServiceObjectNames();

  const items = useQuery({
    queryKey: ['items', 'intake', { q, dept }],
    queryFn: () => api<Page<Item>>('/items', { query: { q: q || undefined, departmentCode: dept, pageSize: 30 } }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const item = useQuery({
    queryKey: ['item', itemCode],
    queryFn: () => api<Item>(`/items/${encodeURIComponent(itemCode ?? '')}`),
    enabled: !!itemCode,
  });
  const it = item.data && item.data.code === itemCode ? item.data : undefined;
  const materials: Material[] = it?.materials ?? [];
  const commitmentText = it?.notificationCommitment?.eligible ? (it.notificationCommitment.text ?? '') : '';

  // a new item: nothing received yet, ordinary procedure, and an applicant kind the item serves
  useEffect(() => {
    setReceived({});
    resetCommitment();
    if (it && !serves(it, form.getFieldValue('kind') ?? 'person')) {
      const other: ApplicantKind = (form.getFieldValue('kind') ?? 'person') === 'person' ? 'enterprise' : 'person';
      if (serves(it, other)) form.setFieldValue('kind', other);
    }
  }, [it?.code]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = useSubmitApplication<object>({
    successKey: 'intake.success',
    itemCode,
    onCommitmentChanged: () => setAgreed(false),
    onRefused: (e) => {
      // point at the field the server refused
      if (isApiError(e, 'APPLICANT_ID_INVALID')) form.setFields([{ name: 'idNumber', errors: [e.message] }]);
      else if (isApiError(e, 'APPLICANT_NAME_MISMATCH')) form.setFields([{ name: 'name', errors: [e.message] }]);
    },
  });

  const idRule = {
    validator: async (_: unknown, value: string | undefined) => {
      const v = (value ?? '').trim();
      if (!v) throw new Error(kind === 'person' ? t('intake.idRequired') : t('intake.usccRequired'));
      const problem = kind === 'person' ? citizenIdProblem(v) : usccProblem(v);
      if (problem) throw new Error(t(kind === 'person' ? `intake.idProblem.${problem}` : `intake.usccProblem.${problem}`));
    },
  };

  const itemOptions = useMemo(
    () =>
      [...(it && !(items.data?.items ?? []).some((x) => x.code === it.code) ? [it] : []), ...(items.data?.items ?? [])].map((x) => ({
        value: x.code,
        label: (
          <div className="ow-intake-option" data-testid="intake-item-option" data-code={x.code}>
            <div className="ow-intake-option-name">{x.name}</div>
            <div className="ow-intake-option-meta">
              {departmentName(x.departmentCode, x.departmentName)} · <span className="ow-mono">{x.code}</span>
            </div>
          </div>
        ),
        name: x.name,
      })),
    [items.data, it, departmentName],
  );

  const missing = materials.filter((m) => m.required !== false && !received[String(m.id)]);
  const kindOk = !it || serves(it, kind);
  const objects = Array.isArray(it?.serviceObjects) ? it.serviceObjects : [];

  const onFinish = (v: IntakeValues) => {
    setTried(true);
    if (!it || submit.isPending || submit.isSuccess) return;
    if (mode === 'commitment' && !agreed) return;
    submit.mutate({
      itemCode: it.code,
      applicant: { kind: v.kind, idNumber: v.idNumber.trim().toUpperCase(), name: v.name.trim() },
      form: { subject: v.subject.trim(), phone: v.phone.trim(), ...(v.address?.trim() ? { address: v.address.trim() } : {}) },
      materials: materials.filter((m) => received[String(m.id)]).map((m) => ({ materialId: Number(m.id), name: m.name, fileName: PAPER })),
      deliveryMethod: v.deliveryMethod,
      ...commitmentBody(mode, commitmentText),
    });
  };

  return (
    <div data-testid="window-intake">
      <Typography.Paragraph type="secondary">{t('intake.intro')}</Typography.Paragraph>
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        size="large"
        onFinish={onFinish}
        onFinishFailed={() => setTried(true)}
        initialValues={{ kind: 'person', deliveryMethod: 'window', itemCode: preselected }}
        scrollToFirstError={{ behavior: 'smooth', block: 'center', scrollMode: 'always' }}
      >
        <Card title={<span>1. {t('intake.stepItem')}</span>} className="ow-card ow-intake-card">
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label={t('intake.department')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('home.allDepartments')}
                  value={dept}
                  onChange={(v) => setDept(v)}
                  loading={departments.isLoading}
                  options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: deptDisplayName(d) ?? d.code }))}
                  data-testid="intake-department"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="itemCode" label={t('intake.item')} rules={[{ required: true, message: t('intake.itemRequired') }]}>
                <Select
                  showSearch={{ filterOption: false, onSearch: setSearch }}
                  placeholder={t('intake.itemPlaceholder')}
                  options={itemOptions}
                  optionLabelProp="name"
                  loading={items.isFetching}
                  notFoundContent={items.isFetching ? undefined : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.empty')} />}
                  data-testid="intake-item"
                  listHeight={360}
                />
              </Form.Item>
            </Col>
          </Row>
          {it && (
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered data-testid="intake-item-info">
              <Descriptions.Item label={t('item.department')}>{departmentName(it.departmentCode, it.departmentName)}</Descriptions.Item>
              <Descriptions.Item label={t('item.committed')}>
                {it.limitUnknown ? t('badge.limitUnknown') : fmtLimit(it.committedLimitDays, it.committedLimitUnit)}
              </Descriptions.Item>
              <Descriptions.Item label={t('item.serviceObjects')}>
                {objects.length ? serviceObjectNames(objects) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('item.guide')} span="filled">
                <Link to={`/items/${encodeURIComponent(it.code)}`} target="_blank">
                  {it.name}
                </Link>{' '}
                <span className="ow-mono">{it.code}</span>
                {it.notificationCommitment?.eligible && (
                  <Tag color="magenta" style={{ marginInlineStart: 8 }}>
                    {t('badge.commitment')}
                  </Tag>
                )}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>

        <Card
          title={
            <Space>
              <IdcardOutlined aria-hidden />
              <span>2. {t('intake.stepApplicant')}</span>
            </Space>
          }
          className="ow-card ow-intake-card"
        >
          <Form.Item name="kind" label={t('intake.applicantKind')} required>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              onChange={() => void form.validateFields(['idNumber']).catch(() => undefined)}
              data-testid="intake-kind"
            >
              <Radio.Button value="person" disabled={!!it && !serves(it, 'person')}>
                <span data-testid="intake-kind-person">{t('intake.person')}</span>
              </Radio.Button>
              <Radio.Button value="enterprise" disabled={!!it && !serves(it, 'enterprise')}>
                <span data-testid="intake-kind-enterprise">{t('intake.enterprise')}</span>
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
          {!kindOk && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('intake.kindNotServed')} />}
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="idNumber"
                label={kind === 'person' ? t('intake.idNumber') : t('intake.uscc')}
                rules={[idRule]}
                required
                validateTrigger={['onBlur', 'onChange']}
                normalize={(v: string) => v.replace(/\s+/g, '').toUpperCase()}
                extra={kind === 'person' ? t('intake.idHint') : t('intake.usccHint')}
              >
                <Input maxLength={18} autoComplete="off" data-testid="intake-id-number" style={{ letterSpacing: 1, fontVariantNumeric: 'tabular-nums' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={kind === 'person' ? t('intake.name') : t('intake.enterpriseName')}
                rules={[{ required: true, whitespace: true, message: kind === 'person' ? t('intake.nameRequired') : t('intake.enterpriseNameRequired') }]}
                extra={t('intake.nameHint')}
              >
                <Input maxLength={200} autoComplete="off" data-testid="intake-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="phone"
                label={t('apply.phone')}
                rules={phoneRules}
              >
                <Input inputMode="tel" maxLength={20} data-testid="intake-phone" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="address" label={t('intake.address')}>
                <Input maxLength={300} data-testid="intake-address" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="subject" label={t('apply.subject')} rules={[{ required: true, whitespace: true, message: t('apply.subjectRequired') }]}>
                <Input maxLength={200} placeholder={t('apply.subjectPlaceholder')} data-testid="intake-subject" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card
          title={
            <Space>
              <FileDoneOutlined aria-hidden />
              <span>3. {t('intake.stepMaterials')}</span>
            </Space>
          }
          className="ow-card ow-intake-card"
          extra={
            materials.length > 0 ? (
              <Button
                onClick={() => setReceived(Object.fromEntries(materials.map((m) => [String(m.id), true])))}
                data-testid="intake-all-received"
              >
                {t('intake.allReceived')}
              </Button>
            ) : undefined
          }
        >
          {!it ? (
            <Typography.Text type="secondary">{t('intake.chooseItemFirst')}</Typography.Text>
          ) : materials.length === 0 ? (
            <Typography.Text type="secondary">{t('apply.noMaterials')}</Typography.Text>
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('intake.materialsHint')}</Typography.Paragraph>
              {materials.map((m) => (
                <div key={String(m.id)} className="ow-material-row" data-testid="intake-material" data-material-id={m.id}>
                  <div className="ow-material-name">
                    <Checkbox
                      checked={!!received[String(m.id)]}
                      onChange={(e) => setReceived((s) => ({ ...s, [String(m.id)]: e.target.checked }))}
                      data-testid={`intake-material-${m.id}`}
                    >
                      <span style={{ fontSize: 16 }}>{m.name}</span>
                    </Checkbox>{' '}
                    {m.required === false ? <Tag>{t('item.optional')}</Tag> : <Tag color="red">{t('item.required')}</Tag>}
                    {m.conditionalAllowed && <Tag color="gold">{t('badge.conditional')}</Tag>}
                  </div>
                  <div className="ow-material-file">
                    <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                      {t('intake.copies', { original: m.original ?? 0, copies: m.copies ?? 0 })}
                      {m.note ? ` · ${m.note}` : ''}
                    </Typography.Text>
                  </div>
                </div>
              ))}
              <MissingMaterialsAlert missing={missing} titleKey="intake.missing" testId="intake-missing" />
            </>
          )}
        </Card>

        {it && commitmentText && (
          <CommitmentSection text={commitmentText} {...commitmentProps} showError={tried} atWindow />
        )}

        <Card title={<span>4. {t('intake.stepDelivery')}</span>} className="ow-card ow-intake-card">
          <DeliveryMethodField testIdPrefix="intake" />
        </Card>

        <SubmitErrorAlert submit={submit} testId="intake-error" />
        <div style={{ textAlign: 'center', marginBottom: 8 }}>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            loading={submit.isPending}
            disabled={submit.isSuccess || !kindOk}
            data-testid="intake-submit"
            style={{ minWidth: 240, height: 52, fontSize: 18 }}
          >
            {t('intake.submit')}
          </Button>
        </div>
      </Form>
    </div>
  );
}
