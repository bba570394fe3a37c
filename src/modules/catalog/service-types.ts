/** Service levels where an item can be handled. */
export const SERVICE_LEVELS = ['district', 'town', 'village'] as const;
/** Channels an item is offered through. */
export const CHANNELS = ['window', 'online', 'kiosk', 'mobile'] as const;

/** Item types (事项类型) of the national catalogue exchange format; see the shared code lists. */
export const ITEM_TYPES = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '20': '公共服务',
} as const;
