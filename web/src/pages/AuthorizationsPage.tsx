/**
 * 代办授权 (帮办代办): a citizen or enterprise lets a service agent apply for them (some items or
 * any, until a day) and revokes it; an agent sees whom they may act for.
 */
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Select } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole, isApplicant, useMe } from '../auth';
import { fmtDate, fmtTime, todayInShanghai } from '../format';
import type { Authorization, Item, Page } from '../types';
import { QueryError } from '../components/QueryState';
import { GrantStateTag, ItemList, PageHeading, useItemNames } from './pageKit';
import { FormModal } from './FormModal';
import { ListTable } from './ListTable';
import { RevokeButton, useRevoke } from './RevokeAction';
import { grantState } from './pageLogic';

interface GrantForm {
  agentUsername: string;
  itemCodes: string[];
  validTo: Dayjs;
}

/** A multiple select of items searched on the server (the catalogue is too long to list). */
function ItemSearchSelect({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const found = useQuery({
    queryKey: ['items', { q, pageSize: 20, picker: true }],
    queryFn: () => api<Page<Item>>('/items', { query: { q, pageSize: 20 } }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  useEffect(() => {
    const items = found.data?.items;
    if (!items?.length) return;
    setKnown((m) => {
      const next = new Map(m);
      for (const it of items) next.set(it.code, it.name);
      return next;
    });
  }, [found.data]);
  const options = useMemo(() => {
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const code of value ?? []) {
      seen.add(code);
      out.push({ value: code, label: known.get(code) ?? code });
    }
    for (const it of found.data?.items ?? []) if (!seen.has(it.code)) out.push({ value: it.code, label: it.name });
    return out;
  }, [value, known, found.data]);
  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      options={options}
      showSearch={{ filterOption: false, onSearch: setText }}
      loading={found.isFetching}
      placeholder={t('pages.authz.itemsPlaceholder')}
      allowClear
      data-testid="authz-items"
    />
  );
}

function GrantModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<GrantForm>();
  const today = todayInShanghai();
  const grant = useMutation({
    mutationFn: (v: GrantForm) =>
      api<Authorization>('/authorizations', {
        method: 'POST',
        body: { agentUsername: v.agentUsername.trim(), itemCodes: v.itemCodes ?? [], validTo: v.validTo.format('YYYY-MM-DD') },
      }),
    onSuccess: (a) => {
      message.success(t('pages.authz.granted', { name: a.agent.displayName }));
      void qc.invalidateQueries({ queryKey: ['authorizations'] });
      onClose();
    },
  });
  return (
    <FormModal<GrantForm>
      form={form}
      mutation={grant}
      title={t('pages.authz.grantTitle')}
      okText={t('pages.authz.grant')}
      okTestId="authz-submit"
      errorTestId="authz-error"
      width={600}
      onClose={onClose}
      initialValues={{ itemCodes: [], validTo: dayjs(today).add(3, 'month') }}
    >
        <Form.Item
          name="agentUsername"
          label={t('pages.authz.agentUsername')}
          extra={t('pages.authz.agentUsernameHint')}
          rules={[{ required: true, whitespace: true, message: t('pages.authz.agentUsernameRequired') }]}
        >
          <Input placeholder={t('pages.authz.agentUsernamePlaceholder')} autoComplete="off" data-testid="authz-agent" />
        </Form.Item>
        <Form.Item name="itemCodes" label={t('pages.authz.itemsLabel')} extra={t('pages.authz.itemsHint')}>
          <ItemSearchSelect />
        </Form.Item>
        <Form.Item name="validTo" label={t('pages.authz.validToLabel')} rules={[{ required: true, message: t('pages.authz.validToRequired') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="authz-valid-to" />
        </Form.Item>
    </FormModal>
  );
}

export default function AuthorizationsPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const [granting, setGranting] = useState(false);
  const list = useQuery({ queryKey: ['authorizations'], queryFn: () => api<{ items: Authorization[] }>('/authorizations') });
  const all = list.data?.items ?? [];
  const given = all.filter((a) => a.principal.id === user?.id);
  const held = all.filter((a) => a.agent.id === user?.id);
  const names = useItemNames(all.flatMap((a) => a.itemCodes));
  const applicant = isApplicant(user);
  const agent = hasRole(user, ['agent']);

  const revoke = useRevoke('/authorizations', ['authorizations'], t('pages.authz.revokedMsg'));

  const common: NonNullable<TableProps<Authorization>['columns']> = [
    {
      title: t('pages.authz.items'),
      key: 'items',
      render: (_, a) => <ItemList codes={a.itemCodes} names={names} allLabel={t('pages.authz.allItems')} />,
    },
    { title: t('pages.authz.validTo'), key: 'validTo', render: (_, a) => <span className="owp-nowrap">{fmtDate(a.validTo)}</span> },
    { title: t('pages.authz.createdAt'), key: 'createdAt', responsive: ['md'], render: (_, a) => <span className="owp-nowrap">{fmtTime(a.createdAt)}</span> },
    { title: t('pages.common.status'), key: 'status', render: (_, a) => <GrantStateTag grant={a} testId="authz-state" /> },
  ];

  const givenColumns: TableProps<Authorization>['columns'] = [
    { title: t('pages.authz.agent'), key: 'agent', render: (_, a) => <strong data-testid="authz-agent-name">{a.agent.displayName}</strong> },
    ...common,
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, a) =>
        grantState(a, new Date(), todayInShanghai()) === 'active' ? (
          <RevokeButton
            testId="authz-revoke"
            pending={revoke.isPending && revoke.variables === a.id}
            label={t('pages.authz.revoke')}
            title={t('pages.authz.revokeTitle', { name: a.agent.displayName })}
            content={t('pages.authz.revokeContent')}
            okText={t('pages.authz.revokeOk')}
            onRevoke={() => revoke.mutateAsync(a.id)}
          />
        ) : null,
    },
  ];
  const heldColumns: TableProps<Authorization>['columns'] = [
    { title: t('pages.authz.principal'), key: 'principal', render: (_, a) => <strong data-testid="authz-principal">{a.principal.displayName}</strong> },
    ...common,
  ];

  return (
    <>
      <PageHeading
        title={t('pages.authz.title')}
        subtitle={applicant ? t('pages.authz.subtitleApplicant') : t('pages.authz.subtitleAgent')}
        testId="authz-title"
        extra={
          applicant ? (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setGranting(true)} data-testid="authz-open">
              {t('pages.authz.grant')}
            </Button>
          ) : undefined
        }
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {applicant && (
        <Card className="ow-card" title={t('pages.authz.givenTitle')}>
          <ListTable<Authorization> columns={givenColumns} rows={given} loading={list.isLoading} emptyText={t('pages.authz.empty')} rowTestId="authz-row" />
        </Card>
      )}
      {(agent || held.length > 0) && (
        <Card className="ow-card" title={t('pages.authz.heldTitle')}>
          <ListTable<Authorization> columns={heldColumns} rows={held} loading={list.isLoading} emptyText={t('pages.authz.emptyHeld')} rowTestId="authz-held-row" />
        </Card>
      )}
      {granting && <GrantModal onClose={() => setGranting(false)} />}
    </>
  );
}
