/**
 * 机器访问令牌 (admin): access tokens for hall kiosks and partner systems. A token acts as its
 * account (a machine account such as `kiosk-hall-01`, or staff), limited to its scopes
 * (`{resource}:read` for GET, `{resource}:write` for the rest). Lists, issues and revokes them.
 *
 * The token itself is shown once, in a modal, from this page's state: it never goes into the
 * query or mutation cache, nor into any storage, and is forgotten when the modal closes.
 */
import { useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { GetRef, TableProps } from 'antd';
import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fmtTime, todayInShanghai } from '../format';
import { QueryError } from '../components/QueryState';
import { PageHeading } from './pageKit';
import { FormModal } from './FormModal';
import type { ApiTokenView } from '../../../src/modules/identity/api-tokens';
import { ListTable } from './ListTable';
import { RevokeButton, useRevoke } from './RevokeAction';
import { grantState, type GrantState } from './pageLogic';

/** An access token as `GET /api-tokens` lists it (never the token itself). */
export type ApiToken = ApiTokenView;

/** The resources offered in the scope picker (the first segment of their API paths). */
export const TOKEN_RESOURCES = [
  'items',
  'catalog',
  'calendar',
  'regions',
  'departments',
  'halls',
  'applications',
  'documents',
  'verify',
  'licenses',
  'license-authorizations',
  'authorizations',
  'projects',
  'seals',
  'chief-representatives',
  'commitment-checks',
] as const;

/** The machine account a hall kiosk uses (seeded). */
const DEFAULT_USERNAME = 'kiosk-hall-01';
/** Longest validity the server accepts, in days (API_TOKEN_MAX_DAYS). */
const MAX_DAYS = 366;
const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

interface IssueForm {
  name: string;
  username: string;
  scopes: string[];
  validDays: number;
}

interface Issued {
  token: string;
  apiToken: ApiToken;
}

/** 有效 / 已吊销 / 已过期 (expired once `expiresAt` has passed). */
function tokenState(tk: ApiToken): GrantState {
  return grantState({ revokedAt: tk.revokedAt, validTo: tk.expiresAt }, new Date(), todayInShanghai());
}

function IssueModal({ onClose, onIssued }: { onClose: () => void; onIssued: (issued: Issued) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<IssueForm>();
  const validDays = Form.useWatch('validDays', form);

  const issue = useMutation({
    // the token goes straight to the page's one-time modal; the mutation keeps only the listing
    mutationFn: async (v: IssueForm) => {
      const r = await api<Issued>('/api-tokens', {
        method: 'POST',
        body: { name: v.name.trim(), username: v.username.trim(), scopes: v.scopes, validDays: v.validDays },
      });
      onIssued({ token: r.token, apiToken: r.apiToken });
      return r.apiToken;
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['api-tokens'] });
      onClose();
    },
  });

  const scopeGroups = TOKEN_RESOURCES.map((r) => ({
    label: t(`apiTokens.resources.${r}`),
    title: r,
    options: (['read', 'write'] as const).map((access) => ({
      value: `${r}:${access}`,
      label: `${r}:${access}`,
      search: `${r}:${access} ${t(`apiTokens.resources.${r}`)} ${t(`apiTokens.${access}`)}`.toLowerCase(),
    })),
  }));
  const days = typeof validDays === 'number' && validDays >= 1 && validDays <= MAX_DAYS ? validDays : null;

  return (
    <FormModal<IssueForm>
      form={form}
      mutation={issue}
      title={t('apiTokens.issueTitle')}
      okText={t('apiTokens.issue')}
      okTestId="issue-submit"
      errorTestId="issue-error"
      destroyOnHidden
      width={640}
      onClose={onClose}
      preserve={false}
      initialValues={{ username: DEFAULT_USERNAME, scopes: [], validDays: DEFAULT_DAYS }}
    >
      <Form.Item
        name="name"
        label={t('apiTokens.name')}
        extra={t('apiTokens.nameHint')}
        rules={[{ required: true, whitespace: true, message: t('apiTokens.nameRequired') }]}
      >
        <Input placeholder={t('apiTokens.namePlaceholder')} maxLength={80} autoComplete="off" data-testid="issue-name" />
      </Form.Item>
      <Form.Item
        name="username"
        label={t('apiTokens.username')}
        extra={t('apiTokens.usernameHint')}
        rules={[{ required: true, whitespace: true, message: t('apiTokens.usernameRequired') }]}
      >
        <Input maxLength={64} autoComplete="off" spellCheck={false} data-testid="issue-username" />
      </Form.Item>
      <Form.Item
        name="scopes"
        label={t('apiTokens.scopes')}
        extra={t('apiTokens.scopesHint')}
        rules={[{ required: true, type: 'array', min: 1, message: t('apiTokens.scopesRequired') }]}
      >
        <Select
          mode="multiple"
          allowClear
          placeholder={t('apiTokens.scopesPlaceholder')}
          showSearch={{ filterOption: (input, option) => !!option && 'search' in option && String(option.search).includes(input.trim().toLowerCase()) }}
          options={scopeGroups}
          optionRender={(o) => (
            <span>
              <span className="owp-code">{o.value}</span>{' '}
              <span className="owp-muted">
                {t(String(o.value).endsWith(':write') ? 'apiTokens.write' : 'apiTokens.read')}
              </span>
            </span>
          )}
          data-testid="issue-scopes"
        />
      </Form.Item>
      <Form.Item
        name="validDays"
        label={t('apiTokens.validDays')}
        extra={days ? t('apiTokens.validDaysHint', { max: MAX_DAYS, date: fmtTime(new Date(Date.now() + days * DAY_MS).toISOString()) }) : undefined}
        rules={[{ required: true, type: 'integer', min: 1, max: MAX_DAYS, message: t('apiTokens.validDaysRequired', { max: MAX_DAYS }) }]}
      >
        <InputNumber min={1} max={MAX_DAYS} precision={0} suffix={t('apiTokens.days')} style={{ width: 200 }} data-testid="issue-valid-days" />
      </Form.Item>
    </FormModal>
  );
}

/** Copies `text`: the Clipboard API, else (plain-HTTP intranet hosts) the selected text area. */
async function copyText(text: string, area: HTMLTextAreaElement | null | undefined): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* denied: try the selection */
  }
  if (!area) return false;
  area.focus();
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** The newly issued token, shown this once with a copy button. */
function IssuedModal({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const area = useRef<GetRef<typeof Input.TextArea>>(null);
  const { token, apiToken } = issued;
  const copy = async () => {
    if (await copyText(token, area.current?.resizableTextArea?.textArea)) message.success(t('apiTokens.copied'));
    else message.warning(t('apiTokens.copyFailed'));
  };
  return (
    <Modal
      open
      title={t('apiTokens.issuedTitle')}
      onCancel={onClose}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      width={640}
      data-testid="issued-modal"
      footer={
        <Button type="primary" onClick={onClose} data-testid="issued-done">
          {t('apiTokens.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon role="alert" title={t('apiTokens.onceWarning')} description={t('apiTokens.onceDetail')} style={{ margin: '16px 0' }} data-testid="issued-warning" />
      <Typography.Paragraph>
        {t('apiTokens.issuedFor', { name: apiToken.name, username: apiToken.username, date: fmtTime(apiToken.expiresAt) })}
      </Typography.Paragraph>
      <Typography.Text strong>{t('apiTokens.tokenLabel')}</Typography.Text>
      <Input.TextArea
        ref={area}
        readOnly
        value={token}
        autoSize
        spellCheck={false}
        aria-label={t('apiTokens.tokenLabel')}
        style={{ margin: '8px 0 12px', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', wordBreak: 'break-all' }}
        onFocus={(e) => e.currentTarget.select()}
        data-testid="issued-token"
      />
      <Space wrap>
        <Button type="primary" ghost icon={<CopyOutlined />} onClick={() => void copy()} data-testid="issued-copy">
          {t('apiTokens.copy')}
        </Button>
        <Typography.Text type="secondary">{t('apiTokens.usage')}</Typography.Text>
      </Space>
    </Modal>
  );
}

const STATE_COLOR: Record<GrantState, string> = { active: 'green', revoked: 'red', expired: 'default' };

export default function ApiTokensPage() {
  const { t } = useTranslation();
  const [issuing, setIssuing] = useState(false);
  // the token just issued: in this state only, until its modal closes
  const [issued, setIssued] = useState<Issued | null>(null);
  const list = useQuery({ queryKey: ['api-tokens'], queryFn: () => api<{ items: ApiToken[] }>('/api-tokens') });
  const rows = list.data?.items ?? [];
  const revoke = useRevoke('/api-tokens', ['api-tokens'], t('apiTokens.revokedMsg'));

  const columns: TableProps<ApiToken>['columns'] = [
    {
      title: t('apiTokens.name'),
      key: 'name',
      render: (_, tk) => (
        <span style={{ fontWeight: 600 }} data-testid="api-token-name">
          {tk.name}
        </span>
      ),
    },
    {
      title: t('apiTokens.username'),
      key: 'username',
      render: (_, tk) => <span className="owp-code">{tk.username}</span>,
    },
    {
      title: t('apiTokens.scopes'),
      key: 'scopes',
      render: (_, tk) => (
        <Space size={[4, 4]} wrap className="owp-item-list" data-testid="api-token-scopes">
          {tk.scopes.map((s) => (
            <Tag key={s} color={s.endsWith(':write') ? 'orange' : 'blue'}>
              {s}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('apiTokens.createdAt'), key: 'createdAt', responsive: ['lg'], render: (_, tk) => <span className="owp-nowrap">{fmtTime(tk.createdAt)}</span> },
    { title: t('apiTokens.expiresAt'), key: 'expiresAt', responsive: ['md'], render: (_, tk) => <span className="owp-nowrap">{fmtTime(tk.expiresAt)}</span> },
    {
      title: t('apiTokens.lastUsedAt'),
      key: 'lastUsedAt',
      responsive: ['lg'],
      render: (_, tk) => <span className="owp-nowrap">{tk.lastUsedAt ? fmtTime(tk.lastUsedAt) : t('apiTokens.neverUsed')}</span>,
    },
    {
      title: t('pages.common.status'),
      key: 'status',
      onCell: () => ({ className: 'owp-nowrap' }),
      render: (_, tk) => {
        const state = tokenState(tk);
        const tag = (
          <Tag color={STATE_COLOR[state]} data-testid="api-token-state" data-state={state}>
            {t(`apiTokens.state.${state}`)}
          </Tag>
        );
        return tk.revokedAt ? <Tooltip title={t('apiTokens.revokedAt', { time: fmtTime(tk.revokedAt) })}>{tag}</Tooltip> : tag;
      },
    },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, tk) =>
        tokenState(tk) === 'active' ? (
          <RevokeButton
            testId="api-token-revoke"
            okTestId="api-token-revoke-confirm"
            pending={revoke.isPending && revoke.variables === tk.id}
            label={t('apiTokens.revoke')}
            title={t('apiTokens.revokeTitle', { name: tk.name })}
            content={t('apiTokens.revokeContent')}
            okText={t('apiTokens.revokeOk')}
            onRevoke={() => revoke.mutateAsync(tk.id)}
          />
        ) : null,
    },
  ];

  return (
    <>
      <PageHeading
        title={t('apiTokens.title')}
        subtitle={t('apiTokens.subtitle')}
        testId="api-tokens-title"
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="issue-open">
            {t('apiTokens.issue')}
          </Button>
        }
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Card className="ow-card">
        <ListTable<ApiToken>
          columns={columns}
          rows={rows}
          loading={list.isLoading}
          emptyText={t('apiTokens.empty')}
          rowTestId="api-token-row"
          rowData={(tk) => ({ 'data-id': tk.id, 'data-state': tokenState(tk) })}
        />
      </Card>
      {issuing && <IssueModal onClose={() => setIssuing(false)} onIssued={setIssued} />}
      {issued && <IssuedModal issued={issued} onClose={() => setIssued(null)} />}
    </>
  );
}
