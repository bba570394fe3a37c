import './case.css';
import { useState } from 'react';
import { Alert, Card, Checkbox, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { sm3 } from 'sm-crypto-v2';

/** How the applicant applies: the ordinary procedure, or on a written commitment (告知承诺制). */
export type ApplyMode = 'normal' | 'commitment';

/**
 * The SM3 digest (hex) of a commitment text, as the server computes it (Node's
 * `crypto.createHash('sm3')` over the UTF-8 text): the applicant signs exactly this text.
 */
export function commitmentDigest(text: string): string {
  return sm3(text);
}

/** The application body's `commitment`: the digest of the text signed, when applying on a commitment. */
export function commitmentBody(mode: ApplyMode, text: string): { commitment?: { textSm3: string } } {
  return mode === 'commitment' && text ? { commitment: { textSm3: commitmentDigest(text) } } : {};
}

/**
 * The applicant's choice in a CommitmentSection: the procedure, and whether they agreed (undone
 * when the procedure changes). `section`: the CommitmentSection's props for it; `reset`: back to
 * the ordinary procedure, not agreed.
 */
export function useCommitmentChoice() {
  const [mode, setMode] = useState<ApplyMode>('normal');
  const [agreed, setAgreed] = useState(false);
  const onMode = (m: ApplyMode) => {
    setMode(m);
    setAgreed(false);
  };
  return {
    mode,
    agreed,
    setAgreed,
    section: { mode, onMode, agreed, onAgreed: setAgreed },
    reset: () => {
      setMode('normal');
      setAgreed(false);
    },
  };
}

/**
 * 告知承诺办理: the choice between the ordinary procedure and a commitment, the commitment text
 * in full, and the applicant's "本人已阅读并承诺". Shown only for eligible items.
 * `atWindow`: the clerk confirms the applicant read and signed it in person.
 */
export function CommitmentSection({
  text,
  mode,
  onMode,
  agreed,
  onAgreed,
  showError,
  atWindow = false,
}: {
  text: string;
  mode: ApplyMode;
  onMode: (m: ApplyMode) => void;
  agreed: boolean;
  onAgreed: (v: boolean) => void;
  /** the form was submitted without the agreement ticked */
  showError: boolean;
  atWindow?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card title={t('commitment.title')} className="ow-card" data-testid="commitment-section">
      <Radio.Group value={mode} onChange={(e) => onMode(e.target.value as ApplyMode)} data-testid="apply-mode">
        <Space orientation="vertical">
          <Radio value="normal">
            <span data-testid="apply-mode-normal">{t('commitment.modeNormal')}</span>
          </Radio>
          <Radio value="commitment">
            <span data-testid="apply-mode-commitment">
              <strong>{t('commitment.modeCommitment')}</strong>
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 14 }}>
                {t('commitment.modeCommitmentHint')}
              </Typography.Text>
            </span>
          </Radio>
        </Space>
      </Radio.Group>
      {mode === 'commitment' && (
        <div style={{ marginTop: 16 }}>
          <Typography.Text strong>{t('commitment.textTitle')}</Typography.Text>
          <div className="ow-commitment-text ow-pre" data-testid="commitment-text" tabIndex={0}>
            {text}
          </div>
          <Alert type="warning" showIcon style={{ margin: '12px 0' }} title={t('commitment.warning')} />
          <Checkbox checked={agreed} onChange={(e) => onAgreed(e.target.checked)} data-testid="commitment-agree">
            <span style={{ fontSize: 16, fontWeight: 600 }}>{atWindow ? t('commitment.agreeAtWindow') : t('commitment.agree')}</span>
          </Checkbox>
          {showError && !agreed && (
            <Typography.Text type="danger" style={{ display: 'block', marginTop: 4 }} role="alert" data-testid="commitment-agree-error">
              {t('commitment.agreeRequired')}
            </Typography.Text>
          )}
        </div>
      )}
    </Card>
  );
}
