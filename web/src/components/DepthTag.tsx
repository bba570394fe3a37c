import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtLimit } from '../format';

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

/** A time limit in its unit (working days, calendar days, same day); see `fmtLimit`. */
export function LimitDays({
  days,
  unit,
  kind = 'committed',
}: {
  days?: number | null;
  unit?: string | null;
  kind?: 'statutory' | 'committed';
}) {
  useTranslation(); // re-render on language change
  return <span>{fmtLimit(days, unit, kind)}</span>;
}
