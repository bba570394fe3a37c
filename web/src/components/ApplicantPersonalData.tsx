import { useState } from 'react';
import { Alert, Button, Descriptions, Modal, Select, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';

/** Why staff need an applicant's numbers whole (the server's PII_PURPOSES a route accepts). */
const PURPOSES = { front: ['window_identity_check', 'contact_applicant'], back: ['case_review', 'contact_applicant'] } as const;
type Purpose = (typeof PURPOSES)[keyof typeof PURPOSES][number];

/** The answer of GET /applications/{id}/applicant. */
interface ApplicantData {
  applicantName: string;
  idNumber: string | null;
  phone: string | null;
  form: Record<string, unknown>;
}

/**
 * For staff handling a case: the applicant's ID number and phone are masked on the page; this
 * button asks for them whole, for a purpose chosen from those the caller's work needs. The server
 * records each such view (audit `pii.view`), which the dialog says.
 */
export function ApplicantPersonalData({ applicationId, front }: { applicationId: string; front: boolean }) {
  const { t } = useTranslation();
  const options = front ? PURPOSES.front : PURPOSES.back;
  const [purpose, setPurpose] = useState<Purpose>(options[0]);
  const [open, setOpen] = useState(false);
  const reveal = useMutation({ mutationFn: (p: Purpose) => api<ApplicantData>(`/applications/${applicationId}/applicant?purpose=${p}`) });
  const close = () => {
    setOpen(false);
    reveal.reset();
  };
  const phones = Object.entries(reveal.data?.form ?? {}).filter(([k, v]) => /phone/i.test(k) && typeof v === 'string' && v !== reveal.data?.phone);

  return (
    <>
      <Button size="small" icon={<EyeOutlined aria-hidden />} onClick={() => setOpen(true)} data-testid="pii-reveal-open">
        {t('pii.reveal')}
      </Button>
      <Modal title={t('pii.title')} open={open} onCancel={close} footer={null} destroyOnHidden>
        {!reveal.data ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary">{t('pii.hint')}</Typography.Paragraph>
            <Select<Purpose>
              value={purpose}
              onChange={setPurpose}
              style={{ width: '100%' }}
              aria-label={t('pii.purpose')}
              options={options.map((p) => ({ value: p, label: t(`pii.purposes.${p}`) }))}
              data-testid="pii-reveal-purpose"
            />
            {reveal.isError && <Alert type="error" showIcon title={errorMessage(reveal.error)} />}
            <Button type="primary" loading={reveal.isPending} onClick={() => reveal.mutate(purpose)} data-testid="pii-reveal-submit">
              {t('pii.show')}
            </Button>
          </Space>
        ) : (
          <Descriptions column={1} bordered size="small" data-testid="pii-reveal-result">
            <Descriptions.Item label={t('pii.name')}>{reveal.data.applicantName}</Descriptions.Item>
            <Descriptions.Item label={t('pii.idNumber')}>
              <span className="ow-mono">{reveal.data.idNumber ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('pii.phone')}>
              <span className="ow-mono">{reveal.data.phone ?? '—'}</span>
            </Descriptions.Item>
            {phones.map(([k, v]) => (
              <Descriptions.Item key={k} label={t('pii.formPhone')}>
                <span className="ow-mono">{String(v)}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
      </Modal>
    </>
  );
}
