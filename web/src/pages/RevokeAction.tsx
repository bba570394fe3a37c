import { App as AntApp, Button } from 'antd';
import type { ButtonProps } from 'antd';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';

/** `POST {path}/{id}/revoke`; on success says `done` and refreshes `queryKey`, on failure says why. */
export function useRevoke(path: string, queryKey: QueryKey, done: string) {
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ id: string; revokedAt: string }>(`${path}/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
    onSuccess: () => {
      message.success(done);
      void qc.invalidateQueries({ queryKey });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
}

/** A danger button that asks for confirmation (`title`, `content`, `okText`) before `onRevoke`. */
export function RevokeButton({
  testId,
  pending,
  label,
  title,
  content,
  okText,
  okTestId,
  onRevoke,
}: {
  testId: string;
  pending: boolean;
  label: string;
  title: string;
  content: string;
  okText: string;
  /** the confirmation's OK button's test id */
  okTestId?: string;
  onRevoke: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  return (
    <Button
      danger
      data-testid={testId}
      loading={pending}
      onClick={() =>
        modal.confirm({
          title,
          content,
          okText,
          okButtonProps: (okTestId ? { danger: true, 'data-testid': okTestId } : { danger: true }) as ButtonProps,
          cancelText: t('pages.common.cancel'),
          onOk: () => onRevoke().catch(() => undefined),
        })
      }
    >
      {label}
    </Button>
  );
}
