/**
 * 重点项目: the key projects the caller may see (its enterprise, its service officer, clerks,
 * administrators); clerks and administrators register new ones.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole, useMe } from '../auth';
import { fmtTime } from '../format';
import { QueryError } from '../components/QueryState';
import { PageHeading } from './pageKit';
import { FormModal } from './FormModal';
import { ListTable } from './ListTable';
import { PROJECT_CREATORS } from './access';
import { looksLikeProjectCode } from './pageLogic';

/** A key project as `GET /projects` lists it. */
export interface KeyProject {
  id: string;
  code: string;
  name: string;
  enterpriseId: string;
  officerId: string;
  createdAt: string;
}

interface CreateForm {
  code: string;
  name: string;
  enterpriseUsername: string;
  officerUsername: string;
}

function CreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const create = useMutation({
    mutationFn: (v: CreateForm) =>
      api<KeyProject>('/projects', {
        method: 'POST',
        body: { code: v.code.trim(), name: v.name.trim(), enterpriseUsername: v.enterpriseUsername.trim(), officerUsername: v.officerUsername.trim() },
      }),
    onSuccess: (p) => {
      message.success(t('pages.projects.created', { name: p.name }));
      void qc.invalidateQueries({ queryKey: ['projects'] });
      onClose();
    },
  });
  return (
    <FormModal<CreateForm>
      form={form}
      mutation={create}
      title={t('pages.projects.createTitle')}
      okText={t('pages.projects.create')}
      okTestId="project-submit"
      errorTestId="project-error"
      width={600}
      onClose={onClose}
    >
        <Form.Item
          name="code"
          label={t('pages.projects.code')}
          rules={[
            { required: true, whitespace: true, message: t('pages.projects.codeRequired') },
            // the national format, as a warning only: older or provincial codes also exist
            {
              warningOnly: true,
              validator: async (_, v: string | undefined) => {
                if (v && v.trim() && !looksLikeProjectCode(v)) throw new Error(t('pages.projects.codeFormat'));
              },
            },
          ]}
        >
          <Input placeholder={t('pages.projects.codePlaceholder')} maxLength={60} autoComplete="off" className="ow-mono" data-testid="project-code" />
        </Form.Item>
        <Form.Item name="name" label={t('pages.projects.name')} rules={[{ required: true, whitespace: true, message: t('pages.projects.nameRequired') }]}>
          <Input placeholder={t('pages.projects.namePlaceholder')} maxLength={200} data-testid="project-name" />
        </Form.Item>
        <Form.Item
          name="enterpriseUsername"
          label={t('pages.projects.enterprise')}
          rules={[{ required: true, whitespace: true, message: t('pages.projects.enterpriseRequired') }]}
        >
          <Input placeholder={t('pages.projects.enterprisePlaceholder')} autoComplete="off" data-testid="project-enterprise" />
        </Form.Item>
        <Form.Item
          name="officerUsername"
          label={t('pages.projects.officer')}
          extra={t('pages.projects.officerHint')}
          rules={[{ required: true, whitespace: true, message: t('pages.projects.officerRequired') }]}
        >
          <Input placeholder={t('pages.projects.officerPlaceholder')} autoComplete="off" data-testid="project-officer" />
        </Form.Item>
    </FormModal>
  );
}

export default function ProjectsPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: ['projects'], queryFn: () => api<{ items: KeyProject[] }>('/projects') });
  const rows = list.data?.items ?? [];
  const mayCreate = hasRole(user, PROJECT_CREATORS);

  const columns: TableProps<KeyProject>['columns'] = [
    {
      title: t('pages.projects.name'),
      key: 'name',
      render: (_, p) => (
        <div>
          <Link to={`/projects/${p.id}`} style={{ fontWeight: 600 }} data-testid="project-link">
            {p.name}
          </Link>
          <div className="owp-muted ow-mono">{p.code}</div>
        </div>
      ),
    },
    { title: t('pages.projects.createdAt'), key: 'createdAt', responsive: ['sm'], render: (_, p) => <span className="owp-nowrap">{fmtTime(p.createdAt)}</span> },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, p) => <Link to={`/projects/${p.id}`}>{t('pages.projects.view')}</Link>,
      onCell: () => ({ className: 'owp-nowrap' }),
    },
  ];

  return (
    <>
      <PageHeading
        title={t('pages.projects.title')}
        subtitle={t('pages.projects.subtitle')}
        testId="projects-title"
        extra={
          mayCreate ? (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="project-open">
              {t('pages.projects.create')}
            </Button>
          ) : undefined
        }
      />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Card className="ow-card">
        <ListTable<KeyProject> columns={columns} rows={rows} loading={list.isLoading} emptyText={t('pages.projects.empty')} rowTestId="project-row" />
      </Card>
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </>
  );
}
