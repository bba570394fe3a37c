import { useState } from 'react';
import { App as AntApp } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../api';
import { newUuid } from '../format';

/**
 * `POST /applications` with one Idempotency-Key per form (a double click or a retry never makes a
 * second case); on success says `successKey` with the case number and opens the case. On failure:
 * `onRefused` first (to point at a field), then — the item's commitment text changed since it was
 * shown — `onCommitmentChanged` and the item reread, then the error said.
 */
export function useSubmitApplication<B extends object>({
  successKey,
  itemCode,
  onCommitmentChanged,
  onRefused,
}: {
  successKey: 'apply.success' | 'intake.success';
  itemCode: string | undefined;
  onCommitmentChanged: () => void;
  onRefused?: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [idempotencyKey] = useState(newUuid);
  return useMutation({
    mutationFn: (body: B) =>
      api<{ id: string; number: string; status: string; version: number }>('/applications', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    onSuccess: (r) => {
      message.success(t(successKey, { number: r.number }));
      void qc.invalidateQueries({ queryKey: ['applications'] });
      navigate(`/applications/${encodeURIComponent(r.id)}`);
    },
    onError: (e) => {
      onRefused?.(e);
      if (isApiError(e, 'COMMITMENT_TEXT_CHANGED')) {
        // the item's text changed since it was shown: show the new one and ask again
        onCommitmentChanged();
        void qc.invalidateQueries({ queryKey: ['item', itemCode] });
      }
      message.error(errorMessage(e));
    },
  });
}
