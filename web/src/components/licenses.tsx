/**
 * Shared pieces of the electronic-licence pages (电子证照): the type registry, a licence's state
 * tag, its validity, and the licence itself as a bordered table of its fields.
 */
import { Descriptions, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fmtDate, fmtTime, todayInShanghai } from '../format';
import type { License, LicenseReason, LicenseStatus, LicenseType, WalletLicense } from '../types';
import { LICENSE_REASONS } from '../types';
import { licenseDisplayState, type LicenseDisplayState } from '../pages/licenseLogic';
import './licenses.css';

/** The licence types (`GET /licenses/types`): names, issuers, fields. */
export function useLicenseTypes() {
  return useQuery({
    queryKey: ['license-types'],
    queryFn: () => api<{ items: LicenseType[] }>('/licenses/types'),
    staleTime: 30 * 60_000,
  });
}

/** A licence type's name by its code (`resident_id` → 居民身份证); the code while loading. */
export function useLicenseTypeName() {
  const types = useLicenseTypes();
  return (code: string | null | undefined): string => (code ? (types.data?.items.find((t) => t.code === code)?.name ?? code) : '—');
}

const STATE_COLOR: Record<LicenseDisplayState, string> = {
  valid: 'green',
  suspended: 'orange',
  revoked: 'red',
  expired: 'default',
  not_yet_valid: 'blue',
};

/** 有效 / 已暂停 / 已注销 / 已过期 / 未生效 — from the status and today's date. */
export function LicenseStateTag({ license, testId }: { license: Pick<License, 'status' | 'validFrom' | 'validTo'>; testId?: string }) {
  const { t } = useTranslation();
  const state = licenseDisplayState(license, todayInShanghai());
  return (
    <Tag color={STATE_COLOR[state]} data-testid={testId} data-state={state} className="owl-state-tag">
      {t(`licenses.status.${state}`)}
    </Tag>
  );
}

/** A licence status as a tag (the stored status only, e.g. in a decision's list). */
export function LicenseStatusTag({ status }: { status: LicenseStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[status]}>{t(`licenses.status.${status}`)}</Tag>;
}

/** "2020-05-01 至 2040-05-01", or "2008-03-07 起长期有效". */
export function useValidity() {
  const { t } = useTranslation();
  return (l: Pick<License, 'validFrom' | 'validTo'>) =>
    l.validTo ? t('licenses.validRange', { from: fmtDate(l.validFrom), to: fmtDate(l.validTo) }) : t('licenses.validForever', { from: fmtDate(l.validFrom) });
}

/** Why a licence does not verify, in the interface language (the server gives only the code on a case). */
export function useLicenseReason() {
  const { t } = useTranslation();
  return (reason: string | null | undefined): string =>
    reason && (LICENSE_REASONS as readonly string[]).includes(reason) ? t(`licenses.reason.${reason as LicenseReason}`) : (reason ?? '');
}

/** A GB/T 36904 identifier: monospace, breaking anywhere (it is long), copyable. */
export function LicenseIdentifier({ identifier, testId, copyable = true }: { identifier: string; testId?: string; copyable?: boolean }) {
  const { t } = useTranslation();
  return (
    <Typography.Text className="owl-identifier" copyable={copyable ? { text: identifier, tooltips: [t('licenses.copy'), '✓'] } : false} data-testid={testId}>
      {identifier}
    </Typography.Text>
  );
}

/**
 * The licence whole, as its holder and authorised staff see it: its fields (as the type labels
 * them), then the identifier, issuer, validity, status and source.
 */
export function LicenseFacts({ license, showMeta = true, testId }: { license: License; showMeta?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const validity = useValidity();
  const items: DescriptionsProps['items'] = [
    ...license.fields.map((f) => ({
      key: `f-${f.key}`,
      label: f.label,
      children: (
        <span data-testid="license-field" data-key={f.key}>
          {f.value || '—'}
        </span>
      ),
    })),
    ...(showMeta
      ? [
          { key: 'identifier', label: t('licenses.identifier'), children: <LicenseIdentifier identifier={license.identifier} />, span: { xs: 1, sm: 1, md: 2 } },
          { key: 'issuer', label: t('licenses.issuer'), children: license.issuerName },
          { key: 'validity', label: t('licenses.validity'), children: <span className="owl-validity">{validity(license)}</span> },
          {
            key: 'status',
            label: t('licenses.statusLabel'),
            children: (
              <>
                <LicenseStateTag license={license} />
                {license.statusReason && <span className="owp-muted">{license.statusReason}</span>}
              </>
            ),
          },
          { key: 'source', label: t('licenses.sourceLabel'), children: `${t(`licenses.source.${license.source}`)} · ${fmtTime(license.issuedAt)}` },
        ]
      : []),
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="owl-facts" items={items} data-testid={testId} />;
}

/** The signed-in holder's licences with their authorisations (`GET /licenses/mine`: citizens and enterprises). */
export function useWallet(enabled = true) {
  return useQuery({
    queryKey: ['licenses', 'mine'],
    queryFn: () => api<{ items: WalletLicense[] }>('/licenses/mine'),
    enabled,
  });
}
