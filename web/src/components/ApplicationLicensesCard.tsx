/**
 * Electronic licences on a case:
 * - 用证材料: the licences standing for materials (免证办), retrieved under the holder's
 *   authorisation and verified now (`GET /applications/{id}/licenses`) — each retrieval by staff is
 *   logged for the holder, so the card fetches once per visit, not on every window focus;
 * - 颁发的电子证照: the licences the decision issued, with their public verification.
 */
import { Alert, Card, Skeleton, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, IdcardOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApplicationLicense, IssuedLicense } from '../types';
import { QueryError } from './QueryState';
import { LicenseFacts, LicenseIdentifier, LicenseStatusTag, useLicenseReason, useLicenseTypeName } from './licenses';

/** A reason standing alone as a title: its first letter in capitals (no change in Chinese). */
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function Verdict({ r }: { r: ApplicationLicense }) {
  const { t } = useTranslation();
  if (!r.authorized)
    return (
      <Tag color="orange" icon={<StopOutlined />} className="owl-verdict-tag" data-testid="app-license-verdict">
        {t('licenses.detail.notAuthorized')}
      </Tag>
    );
  return r.verified ? (
    <Tag color="green" icon={<CheckCircleFilled />} className="owl-verdict-tag" data-testid="app-license-verdict">
      {t('licenses.detail.verified')}
    </Tag>
  ) : (
    <Tag color="red" icon={<CloseCircleFilled />} className="owl-verdict-tag" data-testid="app-license-verdict">
      {t('licenses.detail.notVerified')}
    </Tag>
  );
}

/**
 * 用证材料: per material, the licence whole and 已核验 / 核验未通过 (with the reason) / 未获授权.
 * @param holder the viewer is the applicant (their own licences: not a logged use)
 */
export function ApplicationLicensesCard({ applicationId, holder }: { applicationId: string; holder: boolean }) {
  const { t } = useTranslation();
  const reasonLabel = useLicenseReason();
  const q = useQuery({
    queryKey: ['application-licenses', applicationId],
    queryFn: () => api<{ items: ApplicationLicense[] }>(`/applications/${encodeURIComponent(applicationId)}/licenses`),
    // every retrieval is written to the holder's access log: once per visit of the page
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const items = q.data?.items ?? [];
  if (q.isSuccess && items.length === 0) return null;
  return (
    <Card
      title={
        <Space>
          <IdcardOutlined aria-hidden style={{ color: '#2e7d32' }} />
          {t('licenses.detail.title')}
          <Tag color="green">{t('badge.licenseFree')}</Tag>
        </Space>
      }
      className="ow-card"
      data-testid="application-licenses"
    >
      <Typography.Paragraph type="secondary">{holder ? t('licenses.detail.subtitleHolder') : t('licenses.detail.subtitleStaff')}</Typography.Paragraph>
      {q.isLoading && <Skeleton active paragraph={{ rows: 4 }} />}
      {q.isError && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {items.map((r, i) => {
        const ok = r.authorized && r.verified;
        return (
          <section
            key={`${r.materialId ?? i}`}
            className={`owl-result ${ok ? '' : 'is-failed'}`}
            data-testid="app-license"
            data-material-id={r.materialId ?? ''}
            data-verified={String(ok)}
            data-authorized={String(r.authorized)}
          >
            <div className="owl-result-head">
              <span className="owl-result-material" data-testid="app-license-material">
                {r.materialName}
              </span>
              <Verdict r={r} />
              {r.license && r.license.typeName !== r.materialName && <strong>{r.license.typeName}</strong>}
              {ok && <span className="owl-result-note">{t('licenses.detail.verifiedHint')}</span>}
            </div>
            {r.authorized && !r.verified && r.reason && (
              <Alert type="error" showIcon role="alert" style={{ marginBottom: 10 }} title={capitalize(reasonLabel(r.reason))} description={r.license?.statusReason ?? undefined} data-testid="app-license-reason" />
            )}
            {!r.authorized && <Alert type="warning" showIcon title={t('licenses.detail.notAuthorizedHint')} data-testid="app-license-reason" />}
            {r.license && <LicenseFacts license={r.license} testId="app-license-fields" />}
          </section>
        );
      })}
    </Card>
  );
}

/** 颁发的电子证照: the licences the decision issued, each with a link to its public verification. */
export function IssuedLicensesCard({ licenses }: { licenses: IssuedLicense[] }) {
  const { t } = useTranslation();
  const typeName = useLicenseTypeName();
  if (!licenses.length) return null;
  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined aria-hidden style={{ color: '#c62828' }} />
          {t('licenses.detail.issuedTitle')}
        </Space>
      }
      className="ow-card"
      data-testid="issued-licenses"
    >
      <ul className="owl-issued">
        {licenses.map((l) => (
          <li key={l.identifier} data-testid="issued-license" data-identifier={l.identifier}>
            <Space wrap size={[8, 4]}>
              <Typography.Text strong>{typeName(l.typeCode)}</Typography.Text>
              <LicenseStatusTag status={l.status} />
              <Link to={`/licenses/verify/${encodeURIComponent(l.identifier)}`} target="_blank" data-testid="issued-license-verify">
                <SafetyCertificateOutlined aria-hidden /> {t('licenses.detail.verify')}
              </Link>
            </Space>
            <div>
              <LicenseIdentifier identifier={l.identifier} />
            </div>
          </li>
        ))}
      </ul>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 14 }}>
        {t('licenses.detail.issuedHint')}
      </Typography.Paragraph>
    </Card>
  );
}
