import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS = { I: 'default', II: 'blue', III: 'geekblue', IV: 'green' } as const;

export function DepthTag({ depth }: { depth?: string | null }) {
  const { t } = useTranslation();
  if (!depth || !(depth in COLORS)) return <span>—</span>;
  const d = depth as keyof typeof COLORS;
  const label = t(`depth.${d}`);
  return (
    <Tooltip title={label}>
      <Tag color={COLORS[d]} aria-label={label}>
        {label}
      </Tag>
    </Tooltip>
  );
}

export function LimitDays({ days }: { days?: number | null }) {
  const { t } = useTranslation();
  if (days === null || days === undefined) return <span>{t('days.none')}</span>;
  if (days === 0) return <span>{t('days.immediate')}</span>;
  return <span>{t('days.workingDays', { count: days })}</span>;
}
