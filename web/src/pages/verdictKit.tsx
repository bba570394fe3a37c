/**
 * The parts shared by the two public verification pages (documents: VerifyPage, e-licences:
 * LicenseVerifyPage): the verdict banner over its facts, the facts' layout, the "checking…" card.
 */
import type { ReactNode } from 'react';
import { Card, Descriptions, Grid, Spin, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import './pages.css';

/** A fact spanning the whole row on wide screens. */
export const WIDE_FACT = { xs: 1, sm: 1, md: 2 } as const;

/**
 * A verification's answer: the section (`data-valid`, `data-reason`), its banner — valid or not,
 * the server's message (left out when `message` is undefined), a hint and what was checked when —
 * and below it the facts (`children`).
 */
export function VerdictSection({
  testId,
  valid,
  reason,
  title,
  titleTestId,
  message,
  messageTestId,
  hint,
  meta,
  children,
}: {
  testId: string;
  valid: boolean;
  reason: string | null;
  title: ReactNode;
  titleTestId: string;
  message?: ReactNode;
  messageTestId: string;
  hint: ReactNode;
  meta: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section aria-live="polite" data-testid={testId} data-valid={String(valid)} data-reason={reason ?? ''}>
      <div className={`owp-verdict ${valid ? 'is-valid' : 'is-invalid'}`}>
        <span className="owp-verdict-icon" aria-hidden>
          {valid ? <CheckCircleFilled /> : <CloseCircleFilled />}
        </span>
        <div style={{ minWidth: 0 }}>
          <h2 className="owp-verdict-title" data-testid={titleTestId}>
            {title}
          </h2>
          {message !== undefined && (
            <p className="owp-verdict-message" data-testid={messageTestId}>
              {message}
            </p>
          )}
          <p className="owp-verdict-hint">{hint}</p>
          <div className="owp-verdict-meta">{meta}</div>
        </div>
      </div>
      {children}
    </section>
  );
}

/** Facts as a bordered list: two columns on wide screens, one on a phone. */
export function FactsList({ items }: { items: DescriptionsProps['items'] }) {
  const screens = Grid.useBreakpoint();
  return <Descriptions bordered size={screens.sm ? 'middle' : 'small'} column={{ xs: 1, sm: 1, md: 2 }} className="owp-facts" items={items} />;
}

/** The card shown while a check runs. */
export function CheckingCard() {
  const { t } = useTranslation();
  return (
    <Card className="ow-card">
      <Spin description={t('pages.verify.checking')} />
    </Card>
  );
}

/** "Check another": the title over the form once a result is shown. */
export function AnotherCheckTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={4} style={{ marginTop: 8 }}>
      {children}
    </Typography.Title>
  );
}
