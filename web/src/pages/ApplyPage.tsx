import { useRef, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Checkbox, Form, Input, Result, Select, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, PaperClipOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api';
import { fmtDate, joinList, todayInShanghai } from '../format';
import { useDepartmentName } from '../departments';
import type { Authorization, DeliveryMethod, Item, Material, SubmittedMaterial, User, WalletLicense } from '../types';
import { CommitmentSection, commitmentBody, useCommitmentChoice } from '../components/CommitmentSection';
import { DeliveryMethodField, MissingMaterialsAlert, SubmitErrorAlert, usePhoneRules, useServiceObjectNames } from '../components/applicationFormParts';
import { useSubmitApplication } from '../components/useSubmitApplication';
import { useItem } from './ItemDetailPage';
import { isApplicant, PageSpin, useMe } from '../auth';
import { useLicenseReason, useLicenseTypeName, useWallet } from '../components/licenses';
import { licenseUnusable, usableLicenses } from './licenseLogic';
import { QueryError } from '../components/QueryState';
import { LimitDays } from '../components/DepthTag';

interface ApplyForm {
  subject: string;
  phone: string;
  address: string;
  deliveryMethod: DeliveryMethod;
  /** agent only: the applicant who authorised them (帮办代办) */
  onBehalfOf?: string;
}

/**
 * 帮办代办: the applicants who authorised `user` (an agent) for `item` today — in force, not
 * revoked, for any item or this one.
 */
function useMyPrincipals(user: User | null | undefined, item: Item | undefined) {
  const agent = !!user?.roles.includes('agent');
  const q = useQuery({
    queryKey: ['authorizations'],
    queryFn: () => api<{ items: Authorization[] }>('/authorizations'),
    enabled: agent,
  });
  const today = todayInShanghai();
  const principals = (q.data?.items ?? []).filter(
    (a) =>
      a.agent.id === user?.id &&
      !a.revokedAt &&
      a.validTo >= today &&
      (!item || a.itemCodes.length === 0 || a.itemCodes.includes(item.code)),
  );
  return { agent, principals, query: q };
}
interface MaterialState {
  ready: boolean;
  fileName: string;
  /** 免证办: the licence standing for the material (its use is authorised on submission) */
  licenseId?: string | null;
}

/** What the wallet offers for a material with a `licenseType`. */
interface LicenseOffer {
  /** the type's name, e.g. 居民身份证 */
  typeName: string;
  /** licences of the type usable today, best first */
  usable: WalletLicense[];
  /** a licence of the type held but not usable today (suspended, expired…), when none is usable */
  unusable: WalletLicense | null;
  /** an agent applies: licences cannot be used (only the holder authorises their use) */
  agent: boolean;
  /** the wallet answered (else nothing is said about holding none) */
  known: boolean;
}

/** 免证办 under a material: "use my e-licence", the licence it would use, or why it cannot be used. */
function LicenseUse({ m, offer, value, onChange }: { m: Material; offer: LicenseOffer; value: MaterialState; onChange: (v: MaterialState) => void }) {
  const { t } = useTranslation();
  const reasonLabel = useLicenseReason();
  if (offer.agent)
    return (
      <div className="owl-use-note" data-testid={`material-license-note-${m.id}`}>
        <SafetyCertificateOutlined aria-hidden /> {t('licenses.apply.agentNote')}
      </div>
    );
  if (offer.usable.length === 0) {
    if (!offer.known) return null;
    const why = offer.unusable ? licenseUnusable(offer.unusable, todayInShanghai()) : null;
    return (
      <div className="owl-use-note" data-testid={`material-license-note-${m.id}`}>
        <SafetyCertificateOutlined aria-hidden />{' '}
        {offer.unusable && why
          ? t('licenses.apply.heldUnusable', { type: offer.typeName, reason: reasonLabel(why) })
          : t('licenses.apply.notHeld', { type: offer.typeName })}{' '}
        <Link to="/me/licenses">{t('licenses.apply.walletLink')}</Link>
      </div>
    );
  }
  const on = !!value.licenseId;
  const chosen = offer.usable.find((l) => l.id === value.licenseId) ?? offer.usable[0]!;
  const describe = (l: WalletLicense) =>
    `${l.typeName} · ${l.issuerName} · ${l.validTo ? t('licenses.apply.validTo', { date: fmtDate(l.validTo) }) : t('licenses.apply.forever')}`;
  return (
    <div className={`owl-use ${on ? 'is-on' : ''}`} data-testid={`material-license-box-${m.id}`}>
      <Checkbox
        checked={on}
        data-testid={`material-license-${m.id}`}
        onChange={(e) =>
          onChange(
            e.target.checked
              ? { ...value, ready: true, licenseId: chosen.id }
              : { ...value, ready: value.fileName.trim() !== '', licenseId: null },
          )
        }
      >
        <span className="owl-use-label">{t('licenses.apply.use')}</span>
      </Checkbox>
      <Tag color="green" icon={<SafetyCertificateOutlined aria-hidden />} className="owl-use-tag">
        {t('badge.licenseFree')}
      </Tag>
      {offer.usable.length > 1 ? (
        <div className="owl-use-license">
          <label htmlFor={`material-license-pick-${m.id}`}>{t('licenses.apply.pick')}</label>
          <Select
            id={`material-license-pick-${m.id}`}
            style={{ width: '100%', marginTop: 4 }}
            value={chosen.id}
            onChange={(id: string) => onChange({ ...value, ready: true, licenseId: id })}
            data-testid={`material-license-pick-${m.id}`}
            options={offer.usable.map((l) => ({ value: l.id, label: `${describe(l)} · ${l.identifier}` }))}
          />
        </div>
      ) : (
        <div className="owl-use-license" data-testid={`material-license-info-${m.id}`}>
          {describe(chosen)}
          <div className="owl-identifier">{chosen.identifier}</div>
        </div>
      )}
    </div>
  );
}

function MaterialRow({
  m,
  value,
  onChange,
  offer,
}: {
  m: Material;
  value: MaterialState;
  onChange: (v: MaterialState) => void;
  offer: LicenseOffer | null;
}) {
  const { t } = useTranslation();
  const fileRef = useRef<HTMLInputElement>(null);
  const inputId = `material-file-${m.id}`;
  const byLicense = !!value.licenseId;
  return (
    <div className="ow-material-row" data-testid="material-item" data-material-id={m.id} data-by-license={String(byLicense)}>
      <div className="ow-material-name">
        {byLicense ? (
          // an e-licence stands for it: nothing to tick or upload
          <span className="owl-material-done" data-testid={`material-ready-${m.id}`} data-by-license="true">
            <CheckCircleFilled aria-hidden /> <span style={{ fontSize: 16 }}>{m.name}</span>
          </span>
        ) : (
          <Checkbox
            checked={value.ready}
            onChange={(e) => onChange({ ...value, ready: e.target.checked })}
            data-testid={`material-ready-${m.id}`}
          >
            <span style={{ fontSize: 16 }}>{m.name}</span>
          </Checkbox>
        )}{' '}
        {m.required === false ? <Tag>{t('item.optional')}</Tag> : <Tag color="red">{t('item.required')}</Tag>}
        {m.note && (
          <Typography.Text type="secondary" style={{ display: 'block', marginInlineStart: 28, fontSize: 14 }}>
            {m.note}
          </Typography.Text>
        )}
      </div>
      {byLicense ? (
        <div className="ow-material-file owl-file-replaced" data-testid={`material-file-replaced-${m.id}`}>
          <SafetyCertificateOutlined aria-hidden /> {t('licenses.apply.noUpload')}
        </div>
      ) : (
        <div className="ow-material-file">
          <label htmlFor={inputId} style={{ position: 'absolute', left: -9999 }}>
            {m.name} — {t('apply.fileName')}
          </label>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              id={inputId}
              placeholder={t('apply.fileNamePlaceholder')}
              value={value.fileName}
              data-testid={`material-file-${m.id}`}
              onChange={(e) =>
                onChange({ ready: value.ready || e.target.value.trim() !== '', fileName: e.target.value })
              }
            />
            <Button icon={<PaperClipOutlined />} onClick={() => fileRef.current?.click()}>
              {t('apply.chooseFile')}
            </Button>
          </Space.Compact>
          <input
            ref={fileRef}
            type="file"
            style={{ display: 'none' }}
            aria-hidden
            tabIndex={-1}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) onChange({ ready: true, fileName: f.name });
            }}
          />
        </div>
      )}
      {offer && (
        <div style={{ flex: '1 1 100%' }}>
          <LicenseUse m={m} offer={offer} value={value} onChange={onChange} />
        </div>
      )}
    </div>
  );
}

export default function ApplyPage() {
  const { itemCode } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const item = useItem(itemCode);
  const { data: user } = useMe();
  const departmentName = useDepartmentName();
  const [form] = Form.useForm<ApplyForm>();
  const [materials, setMaterials] = useState<Record<string, MaterialState>>({});
  const { mode, agreed, setAgreed, section: commitmentProps } = useCommitmentChoice();
  const phoneRules = usePhoneRules();
  const serviceObjectNames = useServiceObjectNames();
  const [tried, setTried] = useState(false);
  const { agent, principals, query: authorizations } = useMyPrincipals(user, item.data);
  // 免证办: the applicant's own licences (an agent cannot use the principal's)
  const holder = isApplicant(user) && !agent;
  const wallet = useWallet(holder);
  const licenseTypeName = useLicenseTypeName();

  const submit = useSubmitApplication<{
    itemCode: string;
    form: Pick<ApplyForm, 'subject' | 'phone' | 'address'>;
    materials: SubmittedMaterial[];
    deliveryMethod: DeliveryMethod;
    commitment?: { textSm3: string };
    onBehalfOf?: string;
  }>({
    successKey: 'apply.success',
    itemCode,
    onCommitmentChanged: () => setAgreed(false),
    onRefused: (e) => {
      // a licence changed since the wallet was read (suspended, expired…): show it as it is now
      if (isApiError(e) && e.code.startsWith('LICENSE_')) void qc.invalidateQueries({ queryKey: ['licenses', 'mine'] });
    },
  });

  if (item.isLoading) return <PageSpin />;
  if (item.isError) {
    if (isApiError(item.error) && item.error.status === 404)
      return <Result status="404" title={t('item.notFound')} extra={<Link to="/items">{t('item.back')}</Link>} />;
    return <QueryError error={item.error} onRetry={() => void item.refetch()} />;
  }
  const it = item.data!;
  const list = it.materials ?? [];
  const stateOf = (id: string | number): MaterialState => materials[String(id)] ?? { ready: false, fileName: '' };
  const today = todayInShanghai();
  const walletItems = wallet.data?.items ?? [];
  const offerFor = (m: Material): LicenseOffer | null => {
    if (!m.licenseType || !(holder || agent)) return null;
    const usable = usableLicenses(walletItems, m.licenseType, today);
    return {
      typeName: licenseTypeName(m.licenseType),
      usable,
      unusable: usable.length ? null : (walletItems.find((l) => l.type === m.licenseType) ?? null),
      agent,
      known: wallet.isSuccess,
    };
  };
  // the licences ticked, only those still offered (the wallet may have changed)
  const licenseOf = (m: Material): WalletLicense | null => {
    const id = stateOf(m.id).licenseId;
    if (!id || !holder) return null;
    return usableLicenses(walletItems, m.licenseType, today).find((l) => l.id === id) ?? null;
  };
  const usedLicenses = list.map(licenseOf).filter((l): l is WalletLicense => !!l);
  const objects = Array.isArray(it.serviceObjects) ? it.serviceObjects : null;
  const personOnly = !!objects && objects.length > 0 && objects.every((o) => o === '1');
  const noPersons = !!objects && objects.length > 0 && !objects.includes('1');
  const wrongKind =
    (user?.roles.includes('citizen') && !user.roles.includes('enterprise') && noPersons) ||
    (user?.roles.includes('enterprise') && !user.roles.includes('citizen') && personOnly);
  const missing = list.filter((m) => m.required !== false && !stateOf(m.id).ready && !licenseOf(m));
  // the text exactly as the server holds it (its digest is what the applicant signs)
  const rawCommitment = it.notificationCommitment?.eligible ? (it.notificationCommitment.text ?? '') : '';
  const commitmentText = rawCommitment.trim() ? rawCommitment : '';

  const onFinish = (v: ApplyForm) => {
    setTried(true);
    if (submit.isPending || submit.isSuccess) return;
    if (mode === 'commitment' && !agreed) {
      document.querySelector('[data-testid="commitment-section"]')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    const chosen: SubmittedMaterial[] = list
      .filter((m) => stateOf(m.id).ready || licenseOf(m))
      .map((m) => {
        // 免证办: the licence stands for the material (submitting authorises its use for this application)
        const license = licenseOf(m);
        if (license) return { materialId: m.id, licenseId: license.id } as SubmittedMaterial;
        return { materialId: m.id, name: m.name, fileName: stateOf(m.id).fileName.trim() || `${m.name}.pdf` };
      });
    submit.mutate({
      itemCode: it.code,
      form: { subject: v.subject.trim(), phone: v.phone.trim(), address: v.address.trim() },
      materials: chosen,
      deliveryMethod: v.deliveryMethod,
      // the applicant signs exactly the text shown: its SM3 digest, as the server computes it
      ...commitmentBody(mode, commitmentText),
      ...(agent && v.onBehalfOf ? { onBehalfOf: v.onBehalfOf } : {}),
    });
  };

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={[
          { title: <Link to="/items">{t('nav.items')}</Link> },
          { title: <Link to={`/items/${encodeURIComponent(it.code)}`}>{it.name}</Link> },
          { title: t('apply.title') },
        ]}
      />
      <Typography.Title level={2} className="ow-page-title">
        {t('apply.title')}
        {t('common.colon')}
        <span data-testid="apply-item-name">{it.name}</span>
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {departmentName(it.departmentCode, it.departmentName)} · {t('item.committed')}{' '}
        <LimitDays days={it.committedLimitDays} unit={it.committedLimitUnit} />
      </Typography.Paragraph>
      {wrongKind && !agent && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="wrong-applicant-kind"
          title={t('apply.wrongKind', { objects: serviceObjectNames(objects ?? []) })}
        />
      )}
      <Form<ApplyForm> form={form} layout="vertical" size="large" onFinish={onFinish}
        initialValues={{ deliveryMethod: 'window' }}
        // 'always' + center: a field partly hidden under the sticky header counts as "visible" for
        // 'if-needed', so it would stay there; centred, the field and its error message show
        scrollToFirstError={{ behavior: 'smooth', block: 'center', scrollMode: 'always' }}
        onFinishFailed={({ errorFields }) => {
          setTried(true);
          // focus without a jump that would cut the smooth scroll short
          const first = errorFields[0]?.name;
          if (first) (form.getFieldInstance(first) as { focus?: (o?: FocusOptions) => void } | undefined)?.focus?.({ preventScroll: true });
        }}
      >
        {agent && (
          <Card title={t('apply.agentTitle')} className="ow-card" data-testid="agent-section">
            <Typography.Paragraph type="secondary">{t('apply.agentHint')}</Typography.Paragraph>
            {authorizations.isSuccess && principals.length === 0 ? (
              <Alert type="warning" showIcon title={t('apply.noAuthorizations')} data-testid="no-authorizations" />
            ) : (
              <Form.Item name="onBehalfOf" label={t('apply.onBehalfOf')} rules={[{ required: true, message: t('apply.onBehalfOfRequired') }]}>
                <Select
                  loading={authorizations.isLoading}
                  placeholder={t('apply.onBehalfOfPlaceholder')}
                  data-testid="apply-on-behalf-of"
                  options={principals.map((a) => ({
                    value: a.principal.id,
                    label: `${a.principal.displayName}（${t('apply.authorizedUntil', { date: fmtDate(a.validTo) })}）`,
                  }))}
                />
              </Form.Item>
            )}
          </Card>
        )}
        <Card title={t('detail.form')} className="ow-card">
          <Form.Item
            label={t('apply.subject')}
            name="subject"
            rules={[{ required: true, whitespace: true, message: t('apply.subjectRequired') }]}
          >
            <Input placeholder={t('apply.subjectPlaceholder')} maxLength={200} data-testid="apply-subject" />
          </Form.Item>
          <Form.Item
            label={t('apply.phone')}
            name="phone"
            rules={phoneRules}
          >
            <Input
              placeholder={t('apply.phonePlaceholder')}
              inputMode="tel"
              autoComplete="tel"
              maxLength={20}
              data-testid="apply-phone"
            />
          </Form.Item>
          <Form.Item
            label={t('apply.address')}
            name="address"
            rules={[{ required: true, whitespace: true, message: t('apply.addressRequired') }]}
          >
            <Input placeholder={t('apply.addressPlaceholder')} maxLength={300} autoComplete="street-address" data-testid="apply-address" />
          </Form.Item>
        </Card>
        <Card title={t('apply.materials')} className="ow-card">
          {list.length === 0 ? (
            <Typography.Text type="secondary">{t('apply.noMaterials')}</Typography.Text>
          ) : (
            <>
              <Typography.Paragraph type="secondary">
                {t('apply.materialsHint')}
                {list.some((m) => (offerFor(m)?.usable.length ?? 0) > 0) && <> {t('licenses.apply.hint')}</>}
              </Typography.Paragraph>
              {list.map((m) => (
                <MaterialRow
                  key={String(m.id)}
                  m={m}
                  value={stateOf(m.id)}
                  offer={offerFor(m)}
                  onChange={(v) => setMaterials((s) => ({ ...s, [String(m.id)]: v }))}
                />
              ))}
              {usedLicenses.length > 0 && (
                <Alert
                  type="info"
                  showIcon
                  icon={<SafetyCertificateOutlined />}
                  style={{ marginTop: 16 }}
                  data-testid="license-consent"
                  title={t('licenses.apply.consentTitle')}
                  description={t('licenses.apply.consent', { names: joinList([...new Set(usedLicenses.map((l) => l.typeName))]) })}
                />
              )}
              <MissingMaterialsAlert missing={missing} titleKey="apply.missingRequired" testId="missing-materials" />
            </>
          )}
        </Card>
        {commitmentText && (
          <CommitmentSection text={commitmentText} {...commitmentProps} showError={tried} />
        )}
        <Card title={t('delivery.chooseTitle')} className="ow-card">
          <DeliveryMethodField testIdPrefix="apply" style={{ marginBottom: 0 }} />
        </Card>
        <SubmitErrorAlert submit={submit} testId="apply-error" />
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            icon={<SendOutlined />}
            loading={submit.isPending}
            disabled={submit.isSuccess || (agent && authorizations.isSuccess && principals.length === 0)}
            data-testid="apply-submit"
            style={{ minWidth: 220, height: 52, fontSize: 18 }}
          >
            {t('apply.submit')}
          </Button>
        </div>
      </Form>
    </>
  );
}
