/**
 * 首席代表授权 (a department's signatory, admin): who may decide which items on the spot at which
 * service point, on which written basis, until when; grant and revoke.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Select, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole, useMe } from '../auth';
import { useDepartmentName, useDepartments } from '../departments';
import { deptDisplayName, fmtDate, todayInShanghai } from '../format';
import { QueryError } from '../components/QueryState';
import { GrantStateTag, ItemList, PageHeading, useDepartmentItems, useHalls, useItemNames } from './pageKit';
import { FormModal } from './FormModal';
import { ListTable } from './ListTable';
import { RevokeButton, useRevoke } from './RevokeAction';
import { endOfShanghaiDay, grantState } from './pageLogic';

/** An empowerment as `GET /chief-representatives` lists it. */
export interface Empowerment {
  id: string;
  user: { id: string; displayName: string };
  departmentCode: string;
  hallCode: string;
  itemCodes: string[];
  basis: string;
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
}

interface GrantForm {
  departmentCode?: string;
  username: string;
  hallCode: string;
  itemCodes: string[];
  basis: string;
  validTo: Dayjs;
}

function GrantModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const { data: user } = useMe();
  const isAdmin = hasRole(user, ['admin']);
  const [form] = Form.useForm<GrantForm>();
  const chosenDept = Form.useWatch('departmentCode', form);
  const dept = isAdmin ? chosenDept : (user?.departmentCode ?? undefined);
  const departments = useDepartments();
  const departmentName = useDepartmentName();
  const halls = useHalls();
  const items = useDepartmentItems(dept);

  const grant = useMutation({
    mutationFn: (v: GrantForm) =>
      api<Empowerment>('/chief-representatives', {
        method: 'POST',
        body: {
          username: v.username.trim(),
          hallCode: v.hallCode,
          itemCodes: v.itemCodes,
          basis: v.basis.trim(),
          validTo: endOfShanghaiDay(v.validTo.format('YYYY-MM-DD')),
          ...(isAdmin ? { departmentCode: v.departmentCode } : {}),
        },
      }),
    onSuccess: (e) => {
      message.success(t('pages.chiefReps.granted', { name: e.user.displayName }));
      void qc.invalidateQueries({ queryKey: ['chief-representatives'] });
      form.resetFields();
      onClose();
    },
  });

  const today = todayInShanghai();
  return (
    <FormModal<GrantForm>
      form={form}
      mutation={grant}
      open={open}
      title={t('pages.chiefReps.grantTitle')}
      okText={t('pages.chiefReps.grant')}
      okTestId="grant-submit"
      errorTestId="grant-error"
      destroyOnHidden
      width={640}
      onClose={onClose}
      preserve={false}
      initialValues={{ validTo: dayjs(today).add(1, 'year'), itemCodes: [] }}
    >
        {isAdmin ? (
          <Form.Item name="departmentCode" label={t('pages.chiefReps.department')} rules={[{ required: true, message: t('pages.chiefReps.departmentRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={departments.isLoading}
              data-testid="grant-department"
              onChange={() => form.setFieldsValue({ itemCodes: [] })}
              options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: deptDisplayName(d) ?? d.code }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label={t('pages.chiefReps.department')}>
            <Typography.Text strong>{departmentName(user?.departmentCode)}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item
          name="username"
          label={t('pages.chiefReps.username')}
          extra={t('pages.chiefReps.usernameHint')}
          rules={[{ required: true, whitespace: true, message: t('pages.chiefReps.usernameRequired') }]}
        >
          <Input placeholder={t('pages.chiefReps.usernamePlaceholder')} autoComplete="off" data-testid="grant-username" />
        </Form.Item>
        <Form.Item name="hallCode" label={t('pages.chiefReps.hall')} rules={[{ required: true, message: t('pages.chiefReps.hallRequired') }]}>
          <Select
            loading={halls.isLoading}
            data-testid="grant-hall"
            options={(halls.data?.items ?? []).map((h) => ({ value: h.code, label: h.name }))}
          />
        </Form.Item>
        <Form.Item name="itemCodes" label={t('pages.chiefReps.items')} rules={[{ required: true, type: 'array', min: 1, message: t('pages.chiefReps.itemsRequired') }]}>
          <Select
            mode="multiple"
            disabled={!dept}
            loading={items.isLoading}
            placeholder={dept ? t('pages.chiefReps.itemsPlaceholder') : t('pages.chiefReps.chooseDepartmentFirst')}
            showSearch={{ optionFilterProp: 'label' }}
            maxTagCount="responsive"
            data-testid="grant-items"
            options={(items.data ?? []).map((it) => ({ value: it.code, label: `${it.name}（${it.code}）` }))}
          />
        </Form.Item>
        <Form.Item name="basis" label={t('pages.chiefReps.basis')} rules={[{ required: true, whitespace: true, message: t('pages.chiefReps.basisRequired') }]}>
          <Input placeholder={t('pages.chiefReps.basisPlaceholder')} maxLength={200} data-testid="grant-basis" />
        </Form.Item>
        <Form.Item
          name="validTo"
          label={t('pages.chiefReps.validTo')}
          extra={t('pages.chiefReps.validToHint')}
          rules={[{ required: true, message: t('pages.chiefReps.validToRequired') }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="grant-valid-to" />
        </Form.Item>
    </FormModal>
  );
}

export default function ChiefRepresentativesPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const departmentName = useDepartmentName();
  const halls = useHalls();
  const [granting, setGranting] = useState(false);
  const list = useQuery({ queryKey: ['chief-representatives'], queryFn: () => api<{ items: Empowerment[] }>('/chief-representatives') });
  const rows = list.data?.items ?? [];
  const names = useItemNames(rows.flatMap((r) => r.itemCodes));

  const revoke = useRevoke('/chief-representatives', ['chief-representatives'], t('pages.chiefReps.revokedMsg'));

  const mayRevoke = (e: Empowerment) => hasRole(user, ['admin']) || (hasRole(user, ['signatory']) && user?.departmentCode === e.departmentCode);
  const hallName = (code: string) => halls.data?.items.find((h) => h.code === code)?.name ?? code;

  const columns: TableProps<Empowerment>['columns'] = [
    {
      title: t('pages.chiefReps.user'),
      key: 'user',
      width: 190,
      render: (_, e) => (
        <div>
          <div style={{ fontWeight: 600 }} data-testid="empowerment-user">{e.user.displayName}</div>
          <div className="owp-muted">{departmentName(e.departmentCode)}</div>
        </div>
      ),
    },
    { title: t('pages.chiefReps.hall'), key: 'hall', responsive: ['lg'], render: (_, e) => hallName(e.hallCode) },
    {
      title: t('pages.chiefReps.items'),
      key: 'items',
      render: (_, e) => <ItemList codes={e.itemCodes} names={names} max={3} />,
    },
    { title: t('pages.chiefReps.basis'), dataIndex: 'basis', key: 'basis', responsive: ['md'] },
    {
      title: t('pages.chiefReps.validity'),
      key: 'validity',
      responsive: ['sm'],
      render: (_, e) => (
        <span className="owp-nowrap">
          {fmtDate(e.validFrom)} ~ {fmtDate(e.validTo)}
        </span>
      ),
    },
    { title: t('pages.common.status'), key: 'status', render: (_, e) => <GrantStateTag grant={e} testId="empowerment-state" /> },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, e) =>
        grantState(e, new Date(), todayInShanghai()) === 'active' && mayRevoke(e) ? (
          <RevokeButton
            testId="empowerment-revoke"
            pending={revoke.isPending && revoke.variables === e.id}
            label={t('pages.chiefReps.revoke')}
            title={t('pages.chiefReps.revokeTitle', { name: e.user.displayName })}
            content={t('pages.chiefReps.revokeContent')}
            okText={t('pages.chiefReps.revokeOk')}
            onRevoke={() => revoke.mutateAsync(e.id)}
          />
        ) : null,
    },
  ];

  return (
    <>
      <PageHeading
        title={t('pages.chiefReps.title')}
        subtitle={t('pages.chiefReps.subtitle')}
        testId="chief-reps-title"
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setGranting(true)} data-testid="grant-open">
            {t('pages.chiefReps.grant')}
          </Button>
        }
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Card className="ow-card">
        <ListTable<Empowerment> columns={columns} rows={rows} loading={list.isLoading} emptyText={t('pages.chiefReps.empty')} rowTestId="empowerment-row" />
      </Card>
      {granting && <GrantModal open onClose={() => setGranting(false)} />}
    </>
  );
}
