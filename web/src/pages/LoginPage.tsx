import { Alert, Button, Card, Divider, Form, Input, List, Tag, Typography, App as AntApp } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { Trans, useTranslation } from 'react-i18next';
import { api, errorMessage, setToken } from '../api';
import { homeFor, ME_KEY } from '../auth';
import type { Role, User } from '../types';

const DEMO: { username: string; role: Role }[] = [
  { username: 'citizen', role: 'citizen' },
  { username: 'enterprise', role: 'enterprise' },
  { username: 'clerk', role: 'clerk' },
  { username: 'reviewer', role: 'reviewer' },
  { username: 'signatory', role: 'signatory' },
  { username: 'admin', role: 'admin' },
];
const DEMO_PASSWORD = 'onewindow-demo';

interface LoginForm {
  username: string;
  password: string;
}

/** Staff single sign-on (OpenID Connect), as `GET /auth/oidc` describes it. */
interface SsoInfo {
  enabled: boolean;
  displayName: string | null;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  // no button when sign-on is off or the question fails: password sign-in always works
  const sso = useQuery({ queryKey: ['auth-oidc'], queryFn: () => api<SsoInfo>('/auth/oidc'), staleTime: Infinity, retry: false });

  const login = useMutation({
    mutationFn: (v: LoginForm) => api<{ token: string; user: User }>('/auth/login', { body: v }),
    onSuccess: ({ token, user }) => {
      setToken(token);
      qc.setQueryData(ME_KEY, user);
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'applications' || q.queryKey[0] === 'application' });
      message.success(t('login.welcome', { name: user.displayName }));
      const next = params.get('next');
      // only same-site relative paths
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(user), { replace: true });
    },
  });

  return (
    <div className="ow-login-wrap">
      <Card className="ow-login-card" title={<Typography.Title level={3} style={{ margin: 0 }}>{t('login.title')}</Typography.Title>}>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {login.isError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="login-error"
            title={errorMessage(login.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm>
          form={form}
          layout="vertical"
          size="large"
          requiredMark={false}
          onFinish={(v) => login.mutate(v)}
          autoComplete="on"
        >
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" data-testid="login-username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined aria-hidden />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        {sso.data?.enabled && (
          <>
            <Divider plain>{t('login.or')}</Divider>
            {/* a full-page navigation: the server redirects to the provider and back */}
            <Button block size="large" href="/api/v1/auth/oidc/login" data-testid="login-sso">
              {t('login.sso', { name: sso.data.displayName ?? '' })}
            </Button>
          </>
        )}
      </Card>
      <Card className="ow-demo-card" title={t('login.demoTitle')} data-testid="demo-accounts">
        <Alert
          type="info"
          showIcon
          title={
            <Trans
              i18nKey="login.demoHint"
              values={{ password: DEMO_PASSWORD }}
              components={{ code: <code className="ow-code" data-testid="demo-password" /> }}
            />
          }
          style={{ marginBottom: 12 }}
        />
        <List
          className="ow-demo-list"
          dataSource={DEMO}
          renderItem={(d) => (
            <List.Item>
              <Button
                type="link"
                data-testid={`demo-account-${d.username}`}
                onClick={() => form.setFieldsValue({ username: d.username, password: DEMO_PASSWORD })}
                style={{ padding: 0, fontSize: 16 }}
              >
                <span className="ow-mono" style={{ fontSize: 16 }}>{d.username}</span>
              </Button>
              <Tag color="blue">{t(`roles.${d.role}`)}</Tag>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
