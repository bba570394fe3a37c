/**
 * Parts of the two forms that make an application: the applicant's own (ApplyPage) and the
 * comprehensive window's (WindowIntakeForm).
 */
import type { CSSProperties } from 'react';
import { Alert, Form, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api';
import { joinList } from '../format';
import { DELIVERY_METHODS, type Material } from '../types';

/** A mainland mobile or fixed-line number, optionally with +86 and an extension. */
const PHONE = /^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$/;

/** The rules of the contact phone field: required, and a phone number. */
export function usePhoneRules() {
  const { t } = useTranslation();
  return [
    { required: true, whitespace: true, message: t('apply.phoneRequired') },
    { pattern: PHONE, message: t('apply.phoneInvalid') },
  ];
}

/** An item's service objects (codes 1–9) by name, as one list. */
export function useServiceObjectNames(): (objects: readonly string[]) => string {
  const { t } = useTranslation();
  return (objects) => joinList(objects.map((o) => (['1', '2', '3', '4', '5', '6', '9'].includes(o) ? t(`serviceObject.${o as '1'}`) : o)));
}

/** The `deliveryMethod` field: how the result is delivered; test ids `{testIdPrefix}-delivery[-method]`. */
export function DeliveryMethodField({ testIdPrefix, style }: { testIdPrefix: string; style?: CSSProperties }) {
  const { t } = useTranslation();
  return (
    <Form.Item name="deliveryMethod" label={t('delivery.method')} extra={t('delivery.methodHint')} style={style}>
      <Radio.Group data-testid={`${testIdPrefix}-delivery`}>
        {DELIVERY_METHODS.map((d) => (
          <Radio key={d} value={d}>
            <span data-testid={`${testIdPrefix}-delivery-${d}`}>{t(`delivery.methods.${d}`)}</span>
          </Radio>
        ))}
      </Radio.Group>
    </Form.Item>
  );
}

/** The required materials not yet provided, named (nothing when none are missing). */
export function MissingMaterialsAlert({
  missing,
  titleKey,
  testId,
}: {
  missing: readonly Material[];
  titleKey: 'apply.missingRequired' | 'intake.missing';
  testId: string;
}) {
  const { t } = useTranslation();
  if (missing.length === 0) return null;
  return <Alert type="warning" showIcon style={{ marginTop: 16 }} data-testid={testId} title={t(titleKey, { names: joinList(missing.map((m) => m.name)) })} />;
}

/** Why the submission failed, above the submit button (nothing when it did not). */
export function SubmitErrorAlert({ submit, testId }: { submit: { isError: boolean; error: unknown }; testId: string }) {
  if (!submit.isError) return null;
  return <Alert type="error" showIcon role="alert" title={errorMessage(submit.error)} style={{ marginBottom: 16 }} data-testid={testId} />;
}
