/**
 * 文书核验: public verification of a notice or decision, by number (`/verify/:number`, where the
 * QR code printed on every document points) or by its PDF file. No sign-in.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Collapse, Descriptions, Form, Input, Row, Space, Tag, Typography, Upload } from 'antd';
import { FilePdfOutlined, IdcardOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, baseHeaders, buildUrl, errorMessage } from '../api';
import { fmtDate, fmtTime } from '../format';
import { QueryError } from '../components/QueryState';
import { PageHeading } from './pageKit';
import { isDocNumber, normalizeDocNumber } from './pageLogic';
import { AnotherCheckTitle, CheckingCard, FactsList, VerdictSection, WIDE_FACT } from './verdictKit';

/** `GET /verify/{number}` and `POST /verify` (API v1). */
export interface VerifyAnswer {
  valid: boolean;
  reason: string | null;
  message: string;
  document: {
    number: string;
    kind: string;
    title: string;
    applicationNumber: string;
    itemName: string;
    holder: string | null;
    issuer: string;
    issuedAt: string;
    issuedDate: string;
    revokedAt: string | null;
    revocationReason: string | null;
    pdfSm3: string;
    seal: {
      esId: string | null;
      name: string;
      status: string;
      validFrom: string;
      validTo: string;
      retiredAt: string | null;
      publicKey: string;
    } | null;
  } | null;
}

const MAX_BYTES = 10 * 1024 * 1024;

/** POSTs the PDF's raw bytes, with the interface language (the answer's `message` follows it). */
async function verifyFile(file: File): Promise<VerifyAnswer> {
  let res: Response;
  try {
    res = await fetch(buildUrl('/verify'), {
      method: 'POST',
      headers: { ...baseHeaders(), 'Content-Type': 'application/pdf' },
      body: file,
      credentials: 'include',
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '');
  }
  const data = (await res.json().catch(() => undefined)) as (VerifyAnswer & { error?: { code?: string; message?: string } }) | undefined;
  if (!res.ok || !data) throw new ApiError(res.status, data?.error?.code ?? `HTTP_${res.status}`, data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

function Verdict({ answer, source, checkedAt }: { answer: VerifyAnswer; source: string; checkedAt: Date }) {
  const { t } = useTranslation();
  const doc = answer.document;
  const seal = doc?.seal;
  return (
    <VerdictSection
      testId="verify-result"
      valid={answer.valid}
      reason={answer.reason}
      title={answer.valid ? t('pages.verify.valid') : doc?.revokedAt ? t('pages.verify.revokedTitle') : t('pages.verify.invalid')}
      titleTestId="verify-verdict"
      message={answer.message}
      messageTestId="verify-message"
      hint={answer.valid ? t('pages.verify.validHint') : t('pages.verify.invalidHint')}
      meta={
        <>
          {source} · {t('pages.verify.checkedAt', { time: fmtTime(checkedAt.toISOString()) })}
        </>
      }
    >
      {doc && (
        <Card title={t('pages.verify.facts')} className="ow-card" data-testid="verify-document">
          {answer.reason === 'ALTERED' && (
            <Alert type="warning" showIcon title={t('pages.verify.alteredNote')} style={{ marginBottom: 16 }} data-testid="verify-altered-note" />
          )}
          <FactsList
            items={[
              { key: 'title', label: t('pages.verify.docTitle'), children: <strong>{doc.title}</strong>, span: WIDE_FACT },
              { key: 'number', label: t('pages.verify.number'), children: <span className="owp-doc-number" data-testid="verify-number">{doc.number}</span> },
              { key: 'issuedDate', label: t('pages.verify.issuedDate'), children: fmtDate(doc.issuedDate) },
              { key: 'item', label: t('pages.verify.itemName'), children: doc.itemName, span: WIDE_FACT },
              { key: 'app', label: t('pages.verify.applicationNumber'), children: <span className="owp-doc-number">{doc.applicationNumber}</span> },
              {
                key: 'holder',
                label: t('pages.verify.holder'),
                children: (
                  <>
                    <span data-testid="verify-holder">{doc.holder ?? '—'}</span>
                    {doc.holder?.includes('*') && <span className="owp-muted">{t('pages.verify.holderNote')}</span>}
                  </>
                ),
              },
              { key: 'issuer', label: t('pages.verify.issuer'), children: doc.issuer, span: WIDE_FACT },
              ...(doc.revokedAt
                ? [
                    {
                      key: 'revokedAt',
                      label: t('pages.verify.revokedAt'),
                      children: <Typography.Text type="danger" strong>{fmtTime(doc.revokedAt)}</Typography.Text>,
                    },
                    {
                      key: 'revocationReason',
                      label: t('pages.verify.revocationReason'),
                      children: <Typography.Text type="danger">{doc.revocationReason || '—'}</Typography.Text>,
                    },
                  ]
                : []),
              {
                key: 'sm3',
                label: t('pages.verify.pdfSm3'),
                span: WIDE_FACT,
                children: (
                  <div>
                    <div className="owp-hash" data-testid="verify-sm3">{doc.pdfSm3}</div>
                    <div className="owp-muted">{t('pages.verify.pdfSm3Hint')}</div>
                  </div>
                ),
              },
            ]}
          />
        </Card>
      )}

      {doc && (seal || answer.reason === 'SEAL_UNKNOWN') && (
        <Card title={<><SafetyCertificateOutlined aria-hidden /> {t('pages.verify.sealTitle')}</>} className="ow-card" data-testid="verify-seal">
          {seal ? (
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <FactsList
                items={[
                  { key: 'name', label: t('pages.verify.sealName'), children: seal.name, span: WIDE_FACT },
                  { key: 'code', label: t('pages.verify.sealCode'), children: <span className="owp-doc-number">{seal.esId ?? '—'}</span> },
                  {
                    key: 'status',
                    label: t('pages.verify.sealStatus'),
                    children:
                      seal.status === 'active' ? (
                        <Tag color="green">{t('pages.verify.sealActive')}</Tag>
                      ) : (
                        <Tag>{t('pages.verify.sealRetired')}</Tag>
                      ),
                  },
                  {
                    key: 'validity',
                    label: t('pages.verify.sealValidity'),
                    children: `${fmtDate(seal.validFrom)} ~ ${fmtDate(seal.validTo)}`,
                    span: WIDE_FACT,
                  },
                ]}
              />
              {seal.retiredAt && (
                <Alert type="info" showIcon title={t('pages.verify.sealRetiredNote', { date: fmtTime(seal.retiredAt) })} />
              )}
              <Collapse
                ghost
                size="small"
                items={[
                  {
                    key: 'tech',
                    label: t('pages.verify.technical'),
                    children: (
                      <Descriptions
                        column={1}
                        size="small"
                        layout="vertical"
                        items={[
                          { key: 'pk', label: t('pages.verify.publicKey'), children: <div className="owp-hash">{seal.publicKey}</div> },
                          { key: 'issuedAt', label: t('pages.verify.issuedAt'), children: fmtTime(doc.issuedAt) },
                        ]}
                      />
                    ),
                  },
                ]}
              />
            </Space>
          ) : (
            <Typography.Text type="danger">{t('pages.verify.noSeal')}</Typography.Text>
          )}
        </Card>
      )}
    </VerdictSection>
  );
}

type FileCheck =
  | { phase: 'idle' }
  | { phase: 'checking'; name: string }
  | { phase: 'done'; name: string; answer: VerifyAnswer; at: Date }
  | { phase: 'failed'; name: string; message: string };

export default function VerifyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const number = params.number ? normalizeDocNumber(params.number) : '';
  const [form] = Form.useForm<{ number: string }>();
  const [file, setFile] = useState<FileCheck>({ phase: 'idle' });

  const byNumber = useQuery({
    queryKey: ['verify', number],
    enabled: !!number,
    staleTime: 0,
    queryFn: async () => ({ answer: await api<VerifyAnswer>(`/verify/${encodeURIComponent(number)}`), at: new Date() }),
  });

  // a new number in the address replaces a file's result
  useEffect(() => {
    setFile({ phase: 'idle' });
    form.setFieldsValue({ number: '' });
  }, [number, form]);

  const onFile = async (f: File) => {
    if (!/\.pdf$/i.test(f.name) && f.type !== 'application/pdf') {
      setFile({ phase: 'failed', name: f.name, message: t('pages.verify.wrongType') });
      return;
    }
    if (f.size > MAX_BYTES) {
      setFile({ phase: 'failed', name: f.name, message: t('pages.verify.tooLarge') });
      return;
    }
    setFile({ phase: 'checking', name: f.name });
    try {
      const answer = await verifyFile(f);
      setFile({ phase: 'done', name: f.name, answer, at: new Date() });
    } catch (e) {
      const message = e instanceof ApiError && e.code === 'NETWORK_ERROR' ? t('error.network') : errorMessage(e);
      setFile({ phase: 'failed', name: f.name, message });
    }
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  const showFile = file.phase !== 'idle';
  const result = showFile ? (
    file.phase === 'checking' ? (
      <CheckingCard />
    ) : file.phase === 'failed' ? (
      <Alert type="error" showIcon role="alert" data-testid="verify-error" title={file.message} description={t('pages.verify.checkedFile', { name: file.name })} style={{ marginBottom: 20 }} />
    ) : (
      <Verdict answer={file.answer} source={t('pages.verify.checkedFile', { name: file.name })} checkedAt={file.at} />
    )
  ) : number ? (
    byNumber.isLoading ? (
      <CheckingCard />
    ) : byNumber.isError ? (
      <QueryError error={byNumber.error} onRetry={() => void byNumber.refetch()} />
    ) : byNumber.data ? (
      <Verdict answer={byNumber.data.answer} source={t('pages.verify.checkedNumber', { number })} checkedAt={byNumber.data.at} />
    ) : null
  ) : null;

  const hasResult = !!result;

  return (
    <div className="owp-verify" data-testid="verify-page">
      <PageHeading title={t('pages.verify.title')} subtitle={hasResult ? undefined : t('pages.verify.subtitle')} testId="verify-title" />
      {result}
      {hasResult && (
        <AnotherCheckTitle>{t('pages.verify.another')}</AnotherCheckTitle>
      )}
      <Row gutter={[20, 20]} className="owp-verify-forms">
        <Col xs={24} md={12}>
          <Card title={<><SearchOutlined aria-hidden /> {t('pages.verify.byNumber')}</>}>
            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              onFinish={(v) => {
                const n = normalizeDocNumber(v.number);
                if (n === number) {
                  setFile({ phase: 'idle' });
                  void byNumber.refetch();
                } else navigate(`/verify/${encodeURIComponent(n)}`);
              }}
            >
              <Form.Item
                name="number"
                label={t('pages.verify.numberLabel')}
                rules={[
                  { required: true, whitespace: true, message: t('pages.verify.numberRequired') },
                  { validator: async (_, v: string | undefined) => { if (v && v.trim() && !isDocNumber(v)) throw new Error(t('pages.verify.numberInvalid')); } },
                ]}
              >
                <Input
                  size="large"
                  placeholder={t('pages.verify.numberPlaceholder')}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  enterKeyHint="search"
                  data-testid="verify-number-input"
                  className="owp-doc-number"
                />
              </Form.Item>
              <Button type="primary" size="large" htmlType="submit" icon={<SafetyCertificateOutlined />} block data-testid="verify-number-submit">
                {t('pages.verify.check')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={<><FilePdfOutlined aria-hidden /> {t('pages.verify.byFile')}</>}>
            <Upload.Dragger
              className="owp-dragger"
              accept="application/pdf,.pdf"
              multiple={false}
              showUploadList={false}
              disabled={file.phase === 'checking'}
              beforeUpload={(f) => {
                void onFile(f);
                return Upload.LIST_IGNORE;
              }}
              data-testid="verify-file"
            >
              <p className="ant-upload-drag-icon">
                <FilePdfOutlined />
              </p>
              <p className="ant-upload-text">{t('pages.verify.fileHint')}</p>
              <p className="ant-upload-hint">{t('pages.verify.fileNote')}</p>
            </Upload.Dragger>
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph style={{ marginTop: 20, fontSize: 15 }}>
        <IdcardOutlined aria-hidden /> {t('licenses.verify.fromDocs')}{' '}
        <Link to="/licenses/verify" data-testid="verify-license-link">
          {t('licenses.verify.fromDocsLink')}
        </Link>
      </Typography.Paragraph>
    </div>
  );
}
