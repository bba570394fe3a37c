import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus } from '../types';
import { APPLICATION_STATUSES } from '../types';

const COLORS: Record<ApplicationStatus, string> = {
  submitted: 'blue',
  supplement_requested: 'orange',
  rejected: 'red',
  accepted: 'cyan',
  reviewed: 'geekblue',
  granted: 'green',
  denied: 'volcano',
  delivered: 'success',
  withdrawn: 'default',
  revoked: 'magenta',
};

export function useStatusName() {
  const { t } = useTranslation();
  return (s: string) =>
    (APPLICATION_STATUSES as readonly string[]).includes(s) ? t(`status.${s as ApplicationStatus}`) : s;
}

export function StatusTag({ status, testId = 'status' }: { status: string; testId?: string }) {
  const name = useStatusName();
  return (
    <Tag
      data-testid={testId}
      data-status={status}
      color={COLORS[status as ApplicationStatus] ?? 'default'}
      className="ow-status-tag"
    >
      {name(status)}
    </Tag>
  );
}
