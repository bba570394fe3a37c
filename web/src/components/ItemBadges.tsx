import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Item } from '../types';

/** The convenience badges of an item: 免证办, 可预约, 自助终端, 镇街可办. Nothing when none applies. */
export function ItemBadges({ item, size = 'default' }: { item: Item; size?: 'default' | 'large' }) {
  const { t } = useTranslation();
  const badges: { key: string; label: string; color: string }[] = [];
  if (item.licenseFree) badges.push({ key: 'license-free', label: t('badge.licenseFree'), color: 'green' });
  if (item.appointment) badges.push({ key: 'appointment', label: t('badge.appointment'), color: 'blue' });
  if (item.kioskAvailable) badges.push({ key: 'kiosk', label: t('badge.kiosk'), color: 'cyan' });
  if (item.townAvailable) badges.push({ key: 'town', label: t('badge.town'), color: 'purple' });
  if (!badges.length) return null;
  return (
    <span className={`ow-badges${size === 'large' ? ' ow-badges-lg' : ''}`}>
      {badges.map((b) => (
        <Tag key={b.key} color={b.color} data-testid={`badge-${b.key}`} bordered>
          {b.label}
        </Tag>
      ))}
    </span>
  );
}

/** The 时限待核实 tag shown instead of limits when an item's limit could not be cited. */
export function LimitUnknownTag() {
  const { t } = useTranslation();
  return (
    <Tag color="orange" data-testid="limit-unknown">
      {t('badge.limitUnknown')}
    </Tag>
  );
}
