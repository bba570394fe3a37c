/**
 * 电子证照核验: public verification of an electronic licence by its GB/T 36904 identifier
 * (`/licenses/verify/:identifier`, or the form at `/licenses/verify`). No sign-in. Shows only
 * what the server makes public: the type's public fields, personal values and the holder masked.
 */
import { useEffect } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { FileProtectOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../api';
import { fmtDate, fmtTime } from '../format';
import type { LicenseVerifyAnswer } from '../types';
import { QueryError } from '../components/QueryState';
import { LicenseIdentifier, LicenseStatusTag, useValidity } from '../components/licenses';
import { PageHeading } from './pageKit';
import { normalizeLicenseIdentifier } from './licenseLogic';
import { AnotherCheckTitle, CheckingCard, FactsList, VerdictSection, WIDE_FACT } from './verdictKit';

function Verdict({ answer, identifier, at }: { answer: LicenseVerifyAnswer; identifier: string; at: Date }) {
  const { t } = useTranslation();
  const validity = useValidity();
  const l = answer.license;
  const title = answer.valid ? t('licenses.verify.valid') : t('licenses.verify.invalid');
  // the holder's name and number are shown once, not again as the type's own fields
  const fields = l.fields.filter((f) => !f.value || (f.value !== l.holderName && f.value !== l.holderIdNumber));
  const masked = (v: string | null | undefined) => (
    <>
      <span>{v || '—'}</span>
      {v?.includes('*') && <span className="owp-muted">{t('licenses.verify.holderNote')}</span>}
    </>
  );
  return (
    <VerdictSection
      testId="license-verify-result"
      valid={answer.valid}
      reason={answer.reason}
      title={title}
      titleTestId="license-verify-verdict"
      message={answer.message !== title ? answer.message : undefined}
      messageTestId="license-verify-message"
      hint={answer.valid ? t('licenses.verify.validHint') : t('licenses.verify.invalidHint')}
      meta={t('licenses.verify.checked', { identifier, time: fmtTime(at.toISOString()) })}
    >
      <Card title={t('licenses.verify.facts')} className="ow-card" data-testid="license-verify-facts">
        <FactsList
          items={[
            { key: 'type', label: t('licenses.verify.typeLabel'), children: <strong data-testid="license-verify-type">{l.typeName}</strong> },
            { key: 'status', label: t('licenses.statusLabel'), children: <LicenseStatusTag status={l.status} /> },
            { key: 'identifier', label: t('licenses.identifier'), children: <LicenseIdentifier identifier={l.identifier} />, span: WIDE_FACT },
            { key: 'holder', label: t('licenses.holder'), children: <span data-testid="license-verify-holder">{masked(l.holderName)}</span> },
            { key: 'holderId', label: t('licenses.verify.holderIdLabel'), children: masked(l.holderIdNumber) },
            ...fields.map((f) => ({ key: `f-${f.key}`, label: f.label, children: masked(f.value) })),
            { key: 'issuer', label: t('licenses.issuer'), children: l.issuerName },
            { key: 'validity', label: t('licenses.validity'), children: validity(l) },
            ...(l.statusReason
              ? [{ key: 'statusReason', label: t('licenses.statusReason'), children: <Typography.Text type="danger">{l.statusReason}</Typography.Text>, span: WIDE_FACT }]
              : []),
            { key: 'issuedAt', label: t('licenses.issuedAt'), children: fmtDate(l.issuedAt) },
          ]}
        />
      </Card>
    </VerdictSection>
  );
}

/** Why an identifier could not be checked (malformed, or no such licence), with the identifier as typed. */
function IdentifierProblem({
  type,
  className,
  code,
  message,
  hint,
  identifier,
}: {
  type: 'error' | 'warning';
  className?: string;
  code: string;
  message: string;
  hint: string;
  identifier: string;
}) {
  return (
    <Alert
      type={type}
      showIcon
      role="alert"
      className={className}
      style={{ marginBottom: 20 }}
      data-testid="license-verify-error"
      data-code={code}
      title={
        <span style={{ fontSize: 18, fontWeight: 700 }} data-testid="license-verify-error-message">
          {message}
        </span>
      }
      description={
        <>
          <div>{hint}</div>
          <div className="owl-identifier" style={{ marginTop: 4 }}>{identifier}</div>
        </>
      }
    />
  );
}

export default function LicenseVerifyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const identifier = params.identifier ? normalizeLicenseIdentifier(params.identifier) : '';
  const [form] = Form.useForm<{ identifier: string }>();

  const q = useQuery({
    queryKey: ['license-verify', identifier],
    enabled: !!identifier,
    staleTime: 0,
    retry: false,
    queryFn: async () => ({ answer: await api<LicenseVerifyAnswer>(`/licenses/verify/${encodeURIComponent(identifier)}`), at: new Date() }),
  });

  useEffect(() => {
    form.setFieldsValue({ identifier: '' });
  }, [identifier, form]);

  let result = null;
  if (identifier) {
    if (q.isLoading)
      result = <CheckingCard />;
    else if (q.isError) {
      const e = q.error;
      if (isApiError(e) && e.status === 400)
        result = (
          <IdentifierProblem
            type="error"
            className="owl-alert-lg"
            code={e.code}
            message={errorMessage(e)}
            hint={t('licenses.verify.badIdentifierHint')}
            identifier={identifier}
          />
        );
      else if (isApiError(e) && e.status === 404)
        result = (
          <IdentifierProblem
            type="warning"
            code={e.code}
            message={t('licenses.verify.notFound')}
            hint={t('licenses.verify.notFoundHint')}
            identifier={identifier}
          />
        );
      else result = <QueryError error={e} onRetry={() => void q.refetch()} />;
    } else if (q.data) result = <Verdict answer={q.data.answer} identifier={identifier} at={q.data.at} />;
  }

  return (
    <div className="owp-verify" data-testid="license-verify-page">
      <PageHeading title={t('licenses.verify.title')} subtitle={result ? undefined : t('licenses.verify.subtitle')} testId="license-verify-title" />
      {result}
      {result && (
        <AnotherCheckTitle>{t('licenses.verify.another')}</AnotherCheckTitle>
      )}
      <Card title={<><SafetyCertificateOutlined aria-hidden /> {t('licenses.verify.label')}</>} style={{ maxWidth: 760 }}>
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            const id = normalizeLicenseIdentifier(v.identifier);
            if (id === identifier) void q.refetch();
            else navigate(`/licenses/verify/${encodeURIComponent(id)}`);
          }}
        >
          <Form.Item name="identifier" label={t('licenses.verify.label')} rules={[{ required: true, whitespace: true, message: t('licenses.verify.required') }]}>
            <Input
              size="large"
              className="owl-id-input"
              placeholder={t('licenses.verify.placeholder')}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              enterKeyHint="search"
              maxLength={200}
              data-testid="license-verify-input"
            />
          </Form.Item>
          <Button type="primary" size="large" htmlType="submit" icon={<SafetyCertificateOutlined />} block data-testid="license-verify-submit">
            {t('licenses.verify.check')}
          </Button>
        </Form>
      </Card>
      <Typography.Paragraph className="owl-crosslink">
        <FileProtectOutlined aria-hidden /> {t('licenses.verify.docs')}{' '}
        <Link to="/verify" data-testid="license-verify-docs-link">
          {t('licenses.verify.docsLink')}
        </Link>
      </Typography.Paragraph>
    </div>
  );
}
