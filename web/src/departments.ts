import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { deptDisplayName } from './format';
import type { Department } from './types';

export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => api<{ items: Department[] }>('/departments'),
    staleTime: 10 * 60_000,
  });
}

/**
 * A department's name in the interface language: `nameEn` in English (falling back to the Chinese
 * name), else the Chinese name; `fallback` (e.g. an item's `departmentName`) or the code while the
 * list is loading.
 */
export function useDepartmentName() {
  useTranslation(); // re-render on language change
  const departments = useDepartments();
  return (code: string | null | undefined, fallback?: string | null): string => {
    const d = code ? departments.data?.items.find((x) => x.code === code) : undefined;
    return deptDisplayName(d) ?? fallback ?? code ?? '—';
  };
}
