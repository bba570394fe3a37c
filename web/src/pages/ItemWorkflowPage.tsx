/**
 * 办理流程配置 (admin): one service item's back-office review steps (后台分类审批, with joint
 * review 联审联批) and its exemption list (豁免清单).
 *
 * The steps are saved with `PUT /items/{code}`, which takes the WHOLE item: the page reads the
 * item afresh just before saving, maps it back to the input shape (itemWorkflowLogic.ts
 * `toItemInput`), replaces `reviewSteps` and sends it; if the stored steps changed meanwhile it
 * stops and loads them instead of overwriting someone else's change. The exemption list has its
 * own endpoint (`PUT /items/{code}/exemptions`), which replaces the list.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Grid,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Steps,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, baseHeaders, buildUrl, errorMessage } from '../api';
import { useDepartments } from '../departments';
import { isEnglish, joinList } from '../format';
import type { Department } from '../types';
import { PageHeading } from './pageKit';
import './itemWorkflow.css';
import {
  EXEMPTION_CATEGORY_CODES,
  exemptionProblems,
  fromDrafts,
  fromExemptionDrafts,
  moveItem,
  newDraft,
  newExemptionDraft,
  sameExemptions,
  sameSteps,
  STEP_LIMITS,
  stepProblems,
  toDrafts,
  toExemptionDrafts,
  toItemInput,
  type Exemption,
  type ExemptionCategory,
  type ExemptionDraft,
  type ExemptionProblem,
  type ItemGuide,
  type ItemInput,
  type ReviewStep,
  type StepDraft,
  type StepProblem,
} from './itemWorkflowLogic';

/** Step names offered while typing; any other name may be typed. */
const STEP_NAME_SUGGESTIONS = ['审查', '初审', '复审', '审核', '联合审查', '现场核查', '审定'];

/** A broken catalogue rule as `422 ITEM_RULES_BROKEN` lists it. */
interface Violation {
  rule: string;
  'zh-CN': string;
  en: string;
}

/** A failed save: the server's (translated) message, and the rules broken when it answered 422. */
class SaveError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly violations: Violation[] = [],
  ) {
    super(message);
    this.name = 'SaveError';
  }
}

/**
 * `PUT /items/{code}` with the whole item. Not through `api()`: a 422 answer carries
 * `violations`, which the page lists one by one.
 */
async function putItem(code: string, body: ItemInput, networkMessage: string): Promise<ItemGuide> {
  let res: Response;
  try {
    res = await fetch(buildUrl(`/items/${encodeURIComponent(code)}`), {
      method: 'PUT',
      headers: { ...baseHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'include',
    });
  } catch {
    throw new SaveError(0, 'NETWORK_ERROR', networkMessage);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const d = data as { error?: { code?: string; message?: string }; violations?: Violation[] } | undefined;
    throw new SaveError(res.status, d?.error?.code ?? `HTTP_${res.status}`, d?.error?.message ?? `HTTP ${res.status}`, d?.violations ?? []);
  }
  return data as ItemGuide;
}

const itemKey = (code: string) => ['item', code] as const;
const exemptionsKey = (code: string) => ['item-exemptions', code] as const;

/** Asks before the tab is closed while there are unsaved changes. */
function useLeaveGuard(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}

/** Department names for this page: short names in Chinese, English names in English. */
function useDeptNames() {
  const departments = useDepartments();
  const list = useMemo(() => departments.data?.items ?? [], [departments.data]);
  const label = (d: Department) => (isEnglish() ? d.nameEn || d.name : d.shortName || d.name);
  const nameOf = (code: string) => {
    const d = list.find((x) => x.code === code);
    return d ? label(d) : code;
  };
  return { list, label, nameOf, loading: departments.isLoading };
}

export default function ItemWorkflowPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const item = useQuery({
    queryKey: itemKey(code),
    queryFn: () => api<ItemGuide>(`/items/${encodeURIComponent(code)}`),
    // the editors start from this copy: do not swap it under unsaved edits
    refetchOnWindowFocus: false,
  });
  const exemptions = useQuery({
    queryKey: exemptionsKey(code),
    queryFn: () => api<{ items: Exemption[] }>(`/items/${encodeURIComponent(code)}/exemptions`),
    refetchOnWindowFocus: false,
  });
  const depts = useDeptNames();

  if (item.isLoading) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (item.isError || !item.data) {
    return (
      <>
        <PageHeading title={t('pages.workflow.title')} extra={<Link to="/admin/catalog">{t('pages.workflow.back')}</Link>} />
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="workflow-load-error"
          title={t('pages.workflow.loadFailed')}
          description={errorMessage(item.error)}
          action={<Button onClick={() => void item.refetch()}>{t('common.retry')}</Button>}
        />
      </>
    );
  }
  const it = item.data;
  return (
    <>
      <PageHeading
        title={t('pages.workflow.title')}
        subtitle={t('pages.workflow.subtitle', { name: it.name, code: it.code })}
        testId="workflow-title"
        extra={
          <Space wrap>
            <Link to="/admin/catalog">{t('pages.workflow.back')}</Link>
            <Link to={`/items/${encodeURIComponent(it.code)}`}>{t('pages.workflow.guide')}</Link>
          </Space>
        }
      />
      <Card className="ow-card" title={t('pages.workflow.departments')} size="small">
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label={t('pages.workflow.implementing')}>{depts.nameOf(it.departmentCode)}</Descriptions.Item>
          <Descriptions.Item label={t('pages.workflow.reviewDept')}>
            <span data-testid="workflow-review-dept">{depts.nameOf(it.reviewDepartmentCode)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('pages.workflow.decisionDept')}>
            <span data-testid="workflow-decision-dept">{depts.nameOf(it.decisionDepartmentCode)}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {/* keyed by the stored steps: a save (or a conflict) starts the editor again from the stored ones */}
      <StepsEditor key={JSON.stringify(it.reviewSteps ?? null)} item={it} depts={depts} />
      {exemptions.isError ? (
        <Alert type="error" showIcon role="alert" title={errorMessage(exemptions.error)} style={{ marginBottom: 16 }} />
      ) : exemptions.data ? (
        <ExemptionsEditor key={JSON.stringify(exemptions.data.items)} item={it} saved={exemptions.data.items} />
      ) : (
        <Card className="ow-card" loading title={t('pages.workflow.exemptionsTitle')} />
      )}
    </>
  );
}

type DeptNames = ReturnType<typeof useDeptNames>;

function StepsEditor({ item, depts }: { item: ItemGuide; depts: DeptNames }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const stored: ReviewStep[] | null = item.reviewSteps?.length ? item.reviewSteps : null;
  /** `null`: the default (no steps stored); else the rows being edited */
  const [drafts, setDrafts] = useState<StepDraft[] | null>(() => (stored ? toDrafts(stored) : null));
  const [attempted, setAttempted] = useState(false);
  const [failure, setFailure] = useState<SaveError | null>(null);

  const resolve = (d: string) => (d === 'review' ? item.reviewDepartmentCode : d === 'decision' ? item.decisionDepartmentCode : d);
  const steps: ReviewStep[] | null = drafts ? fromDrafts(drafts) : null;
  const problems = drafts ? stepProblems(drafts, resolve) : [];
  const dirty = !sameSteps(steps, stored);
  useLeaveGuard(dirty);

  const save = useMutation({
    mutationFn: async (next: ReviewStep[] | null) => {
      // the whole item is sent back: start from the stored item as it is now, not as it was loaded
      const fresh = await api<ItemGuide>(`/items/${encodeURIComponent(item.code)}`);
      if (!sameSteps(fresh.reviewSteps?.length ? fresh.reviewSteps : null, stored)) return { conflict: true as const, item: fresh };
      return { conflict: false as const, item: await putItem(item.code, toItemInput(fresh, next), t('error.network')) };
    },
    onSuccess: (r) => {
      if (r.conflict) message.warning(t('pages.workflow.conflict'), 6);
      else message.success(t('pages.workflow.saved'));
      // remounts this editor (keyed by the stored steps) from what is stored now
      qc.setQueryData(itemKey(item.code), r.item);
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'items' });
    },
    onError: (e) => setFailure(e instanceof SaveError ? e : new SaveError(e instanceof ApiError ? e.status : 0, e instanceof ApiError ? e.code : 'ERROR', errorMessage(e))),
  });

  const onSave = () => {
    setAttempted(true);
    setFailure(null);
    if (problems.length) {
      message.error(t('pages.workflow.fixFirst'));
      return;
    }
    save.mutate(steps);
  };

  const update = (key: string, patch: Partial<StepDraft>) => setDrafts((ds) => ds && ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const problemsAt = (i: number) => (attempted ? problems.filter((p) => p.index === i) : []);
  const problemText = (p: StepProblem) =>
    p.code === 'jointDuplicate' ? t('pages.workflow.problem.jointDuplicate', { dept: depts.nameOf(p.department) }) : t(`pages.workflow.problem.${p.code}`);
  const lang = i18n.language?.startsWith('en') ? 'en' : 'zh-CN';

  const roleLabel = (r: 'reviewer' | 'signatory') => (r === 'reviewer' ? t('pages.workflow.roleReviewer') : t('pages.workflow.roleSignatory'));
  const deptOptions = [
    { value: 'review', label: t('pages.workflow.deptReview', { name: depts.nameOf(item.reviewDepartmentCode) }) },
    { value: 'decision', label: t('pages.workflow.deptDecision', { name: depts.nameOf(item.decisionDepartmentCode) }) },
    ...depts.list.map((d) => ({ value: d.code, label: depts.label(d), title: d.name })),
  ];
  /** joint review lists departments; `review` / `decision` only where a stored step already uses them */
  const jointOptions = (current: string[]) => [
    ...deptOptions.filter((o) => (o.value === 'review' || o.value === 'decision') && current.includes(o.value)),
    ...depts.list.map((d) => ({ value: d.code, label: depts.label(d), title: d.name })),
  ];

  const shown = steps ?? [{ name: '审查', role: 'reviewer' as const, department: 'review' }];
  const previewItems = [
    { title: t('pages.workflow.previewAccept') },
    ...shown.map((s) => ({
      title: s.name || '—',
      content: s.joint?.length
        ? t('pages.workflow.previewJoint', { names: joinList(s.joint.map((d) => depts.nameOf(resolve(d)))) })
        : `${depts.nameOf(resolve(s.department))} · ${roleLabel(s.role)}`,
    })),
    { title: t('pages.workflow.previewDecide'), content: depts.nameOf(item.decisionDepartmentCode) },
  ];

  return (
    <Card
      className="ow-card"
      data-testid="workflow-steps"
      title={
        <Space wrap>
          <span>{t('pages.workflow.stepsTitle')}</span>
          {drafts ? (
            <Tag color="blue" data-testid="workflow-steps-mode" data-mode="custom">
              {t('pages.workflow.usingCustom', { count: drafts.length })}
            </Tag>
          ) : (
            <Tag data-testid="workflow-steps-mode" data-mode="default">
              {t('pages.workflow.usingDefault')}
            </Tag>
          )}
          {dirty && <Tag color="orange">{t('pages.workflow.unsaved')}</Tag>}
        </Space>
      }
    >
      <Typography.Paragraph className="owp-subtitle">{t('pages.workflow.stepsHelp')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary" className="owp-subtitle">
        {t('pages.workflow.jointHelp')}
      </Typography.Paragraph>

      {failure && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="workflow-save-error"
          data-code={failure.code}
          style={{ marginBottom: 16 }}
          closable={{ onClose: () => setFailure(null) }}
          title={failure.code === 'ITEM_RULES_BROKEN' ? t('pages.workflow.rulesBroken') : t('pages.workflow.saveFailed', { message: failure.message })}
          description={
            failure.violations.length ? (
              <>
                <div>{t('pages.workflow.rulesBrokenHint')}</div>
                <ul className="ow-reasons">
                  {failure.violations.map((v, i) => (
                    <li key={i}>
                      <Tag>{v.rule}</Tag> {v[lang] || v['zh-CN']}
                    </li>
                  ))}
                </ul>
              </>
            ) : undefined
          }
        />
      )}

      {drafts === null ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('pages.workflow.defaultExplain', { dept: depts.nameOf(item.reviewDepartmentCode) })}
          action={
            <Button type="primary" ghost onClick={() => setDrafts(toDrafts(null))} data-testid="workflow-customize">
              {t('pages.workflow.customize')}
            </Button>
          }
        />
      ) : (
        <Form layout="vertical" component="div">
          {drafts.map((d, i) => {
            const here = problemsAt(i);
            const errorOf = (...codes: StepProblem['code'][]) => here.filter((p) => codes.includes(p.code)).map(problemText);
            const nameErr = errorOf('nameRequired', 'nameTooLong');
            const deptErr = errorOf('departmentRequired');
            const jointErr = errorOf('jointTooFew', 'jointTooMany', 'jointDuplicate');
            return (
              <Card
                key={d.key}
                size="small"
                className="owf-step"
                data-testid="workflow-step"
                data-index={i}
                style={{ marginBottom: 12 }}
                title={
                  <Space>
                    <Tag color={d.jointOn ? 'purple' : 'blue'}>{t('pages.workflow.stepNo', { n: i + 1 })}</Tag>
                    <span>{d.name || '—'}</span>
                  </Space>
                }
                extra={
                  <Space size={4}>
                    <Tooltip title={t('pages.workflow.moveUp')}>
                      <Button
                        size="small"
                        icon={<ArrowUpOutlined />}
                        aria-label={t('pages.workflow.moveUp')}
                        disabled={i === 0}
                        onClick={() => setDrafts((ds) => ds && moveItem(ds, i, i - 1))}
                        data-testid="workflow-step-up"
                      />
                    </Tooltip>
                    <Tooltip title={t('pages.workflow.moveDown')}>
                      <Button
                        size="small"
                        icon={<ArrowDownOutlined />}
                        aria-label={t('pages.workflow.moveDown')}
                        disabled={i === drafts.length - 1}
                        onClick={() => setDrafts((ds) => ds && moveItem(ds, i, i + 1))}
                        data-testid="workflow-step-down"
                      />
                    </Tooltip>
                    <Popconfirm
                      title={t('pages.workflow.removeConfirm')}
                      okText={t('pages.workflow.remove')}
                      cancelText={t('pages.common.cancel')}
                      onConfirm={() => setDrafts((ds) => ds && ds.filter((x) => x.key !== d.key))}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('pages.workflow.remove')} data-testid="workflow-step-remove" />
                    </Popconfirm>
                  </Space>
                }
              >
                <div className="owf-step-grid">
                  <Form.Item label={t('pages.workflow.stepName')} validateStatus={nameErr.length ? 'error' : undefined} help={nameErr[0]}>
                    <AutoComplete
                      value={d.name}
                      options={STEP_NAME_SUGGESTIONS.map((v) => ({ value: v }))}
                      onChange={(v: string) => update(d.key, { name: v })}
                      placeholder={t('pages.workflow.stepNamePlaceholder')}
                      maxLength={STEP_LIMITS.maxName}
                      data-testid="workflow-step-name"
                    />
                  </Form.Item>
                  <Form.Item label={t('pages.workflow.role')} help={d.jointOn ? t('pages.workflow.roleJointNote') : undefined}>
                    <Select
                      value={d.role}
                      disabled={d.jointOn}
                      onChange={(v) => update(d.key, { role: v })}
                      options={[
                        { value: 'reviewer', label: roleLabel('reviewer') },
                        { value: 'signatory', label: roleLabel('signatory') },
                      ]}
                      data-testid="workflow-step-role"
                    />
                  </Form.Item>
                  <Form.Item
                    label={d.jointOn ? t('pages.workflow.leadDepartment') : t('pages.workflow.department')}
                    validateStatus={deptErr.length ? 'error' : undefined}
                    help={deptErr[0]}
                  >
                    <Select
                      value={d.department || undefined}
                      onChange={(v) => update(d.key, { department: v })}
                      options={deptOptions}
                      loading={depts.loading}
                      showSearch={{ optionFilterProp: 'label' }}
                      popupMatchSelectWidth={false}
                      data-testid="workflow-step-department"
                    />
                  </Form.Item>
                  <Form.Item label={t('pages.workflow.joint')}>
                    <Switch
                      checked={d.jointOn}
                      // a joint step's opinions come from each department's reviewers
                      onChange={(on) => update(d.key, on ? { jointOn: true, role: 'reviewer' } : { jointOn: false })}
                      data-testid="workflow-step-joint"
                    />
                  </Form.Item>
                </div>
                {d.jointOn && (
                  <Form.Item
                    label={t('pages.workflow.jointDepartments')}
                    validateStatus={jointErr.length ? 'error' : undefined}
                    help={jointErr[0]}
                    style={{ marginBottom: 0 }}
                  >
                    <Select
                      mode="multiple"
                      value={d.joint}
                      onChange={(v: string[]) => update(d.key, { joint: v })}
                      options={jointOptions(d.joint)}
                      placeholder={t('pages.workflow.jointPlaceholder')}
                      showSearch={{ optionFilterProp: 'label' }}
                      loading={depts.loading}
                      data-testid="workflow-step-joint-departments"
                    />
                  </Form.Item>
                )}
              </Card>
            );
          })}
          {attempted &&
            problems
              .filter((p) => p.index === -1)
              .map((p) => <Alert key={p.code} type="error" showIcon title={problemText(p)} style={{ marginBottom: 12 }} />)}
          <Space wrap style={{ marginBottom: 8 }}>
            <Button
              icon={<PlusOutlined />}
              disabled={drafts.length >= STEP_LIMITS.maxSteps}
              onClick={() => setDrafts((ds) => [...(ds ?? []), newDraft(t('pages.workflow.newStepName'))])}
              data-testid="workflow-add-step"
            >
              {t('pages.workflow.addStep')}
            </Button>
            <Popconfirm
              title={t('pages.workflow.restoreConfirm')}
              okText={t('pages.workflow.restoreDefault')}
              cancelText={t('pages.common.cancel')}
              onConfirm={() => {
                setDrafts(null);
                setAttempted(false);
              }}
            >
              <Button icon={<RollbackOutlined />} data-testid="workflow-restore-default">
                {t('pages.workflow.restoreDefault')}
              </Button>
            </Popconfirm>
          </Space>
        </Form>
      )}

      <Typography.Title level={5} style={{ marginTop: 8 }}>
        {t('pages.workflow.preview')}
      </Typography.Title>
      <div className="owf-preview" data-testid="workflow-preview">
        <Steps
          size="small"
          orientation={screens.md ? 'horizontal' : 'vertical'}
          titlePlacement={screens.md ? 'vertical' : undefined}
          current={previewItems.length}
          items={previewItems}
          // room for each step's department names; the box scrolls sideways past the card's width
          style={screens.md ? { minWidth: previewItems.length * 170 } : undefined}
        />
      </div>

      <Space wrap style={{ marginTop: 16 }}>
        <Button type="primary" size="large" icon={<SaveOutlined />} disabled={!dirty} loading={save.isPending} onClick={onSave} data-testid="workflow-save">
          {t('pages.workflow.save')}
        </Button>
        <Button
          size="large"
          disabled={!dirty || save.isPending}
          onClick={() => {
            setDrafts(stored ? toDrafts(stored) : null);
            setAttempted(false);
            setFailure(null);
          }}
          data-testid="workflow-discard"
        >
          {t('pages.workflow.discard')}
        </Button>
      </Space>
    </Card>
  );
}

function ExemptionsEditor({ item, saved }: { item: ItemGuide; saved: Exemption[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [rows, setRows] = useState<ExemptionDraft[]>(() => toExemptionDrafts(saved));
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const materials = [...item.materials].sort((a, b) => a.seq - b.seq);
  const problems = exemptionProblems(
    rows,
    materials.map((m) => m.id),
  );
  const dirty = !sameExemptions(rows, saved);
  useLeaveGuard(dirty);

  const save = useMutation({
    mutationFn: () =>
      api<{ items: Exemption[] }>(`/items/${encodeURIComponent(item.code)}/exemptions`, { method: 'PUT', body: fromExemptionDrafts(rows) }),
    onSuccess: (r) => {
      message.success(t('pages.workflow.exemptionsSaved', { count: r.items.length }));
      qc.setQueryData(exemptionsKey(item.code), r); // remounts this editor from the saved list
    },
    onError: (e) => setError(errorMessage(e)),
  });

  const update = (key: string, patch: Partial<ExemptionDraft>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const errorsAt = (i: number, ...codes: ExemptionProblem['code'][]) =>
    attempted ? problems.filter((p) => p.index === i && codes.includes(p.code)).map((p) => t(`pages.workflow.exemptionProblem.${p.code}`)) : [];

  const categoryLabel = (c: ExemptionCategory) => t(`pages.workflow.categories.${c}`);
  const columns: TableProps<ExemptionDraft>['columns'] = [
    {
      title: t('pages.workflow.material'),
      key: 'material',
      render: (_, r, i) => {
        const err = errorsAt(i, 'materialRequired', 'materialUnknown');
        return (
          <Form.Item validateStatus={err.length ? 'error' : undefined} help={err[0]} style={{ marginBottom: 0 }}>
            <Select
              value={r.materialId ?? undefined}
              onChange={(v: number) => update(r.key, { materialId: v })}
              placeholder={t('pages.workflow.materialPlaceholder')}
              options={materials.map((m) => ({ value: m.id, label: `${m.seq}. ${m.name}` }))}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: '100%', minWidth: 220 }}
              popupMatchSelectWidth={false}
              data-testid="exemption-material"
            />
          </Form.Item>
        );
      },
    },
    {
      title: t('pages.workflow.category'),
      key: 'category',
      width: 220,
      render: (_, r, i) => {
        const err = errorsAt(i, 'categoryRequired', 'duplicate');
        return (
          <Form.Item validateStatus={err.length ? 'error' : undefined} help={err[0]} style={{ marginBottom: 0 }}>
            <Select
              value={r.category ?? undefined}
              onChange={(v: ExemptionCategory) => update(r.key, { category: v })}
              placeholder={t('pages.workflow.categoryPlaceholder')}
              options={EXEMPTION_CATEGORY_CODES.map((c) => ({ value: c, label: categoryLabel(c) }))}
              style={{ width: '100%', minWidth: 160 }}
              data-testid="exemption-category"
            />
          </Form.Item>
        );
      },
    },
    {
      title: t('pages.workflow.basis'),
      key: 'basis',
      render: (_, r, i) => {
        const err = errorsAt(i, 'basisRequired', 'basisTooLong');
        return (
          <Form.Item validateStatus={err.length ? 'error' : undefined} help={err[0]} style={{ marginBottom: 0 }}>
            <Input
              value={r.basis}
              onChange={(e) => update(r.key, { basis: e.target.value })}
              placeholder={t('pages.workflow.basisPlaceholder')}
              maxLength={300}
              style={{ minWidth: 220 }}
              data-testid="exemption-basis"
            />
          </Form.Item>
        );
      },
    },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      width: 90,
      render: (_, r) => (
        <Button
          danger
          icon={<DeleteOutlined />}
          aria-label={t('pages.workflow.remove')}
          onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
          data-testid="exemption-remove"
        />
      ),
    },
  ];

  return (
    <Card
      className="ow-card"
      data-testid="workflow-exemptions"
      title={
        <Space wrap>
          <span>{t('pages.workflow.exemptionsTitle')}</span>
          {dirty && <Tag color="orange">{t('pages.workflow.unsaved')}</Tag>}
        </Space>
      }
    >
      <Typography.Paragraph className="owp-subtitle">{t('pages.workflow.exemptionsHelp')}</Typography.Paragraph>
      {error && (
        <Alert type="error" showIcon role="alert" data-testid="exemption-save-error" title={error} closable={{ onClose: () => setError(null) }} style={{ marginBottom: 16 }} />
      )}
      {materials.length === 0 && rows.length === 0 ? (
        <Empty description={t('pages.workflow.noMaterials')} />
      ) : (
        <Form component="div">
          <Table<ExemptionDraft>
            rowKey="key"
            columns={columns}
            dataSource={rows}
            pagination={false}
            size="middle"
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('pages.workflow.noExemptions') }}
            onRow={() => ({ 'data-testid': 'exemption-row' }) as React.HTMLAttributes<HTMLElement>}
          />
        </Form>
      )}
      {attempted && problems.some((p) => p.index === -1) && (
        <Alert type="error" showIcon title={t('pages.workflow.exemptionProblem.tooMany')} style={{ marginTop: 12 }} />
      )}
      <Space wrap style={{ marginTop: 16 }}>
        <Button icon={<PlusOutlined />} disabled={materials.length === 0} onClick={() => setRows((rs) => [...rs, newExemptionDraft()])} data-testid="exemption-add">
          {t('pages.workflow.addExemption')}
        </Button>
        <Button
          type="primary"
          icon={<SaveOutlined />}
          disabled={!dirty}
          loading={save.isPending}
          data-testid="exemption-save"
          onClick={() => {
            setAttempted(true);
            setError(null);
            if (problems.length) {
              message.error(t('pages.workflow.fixFirst'));
              return;
            }
            save.mutate();
          }}
        >
          {t('pages.workflow.saveExemptions')}
        </Button>
        <Button
          disabled={!dirty || save.isPending}
          onClick={() => {
            setRows(toExemptionDrafts(saved));
            setAttempted(false);
            setError(null);
          }}
          data-testid="exemption-discard"
        >
          {t('pages.workflow.discard')}
        </Button>
      </Space>
    </Card>
  );
}
