import { useRef, useState, type ChangeEvent } from 'react';
import { Alert, Button, Card, Checkbox, Col, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { baseHeaders, buildUrl } from '../api';
import type { ImportResult } from '../types';
import CatalogItemsCard from './CatalogItemsCard';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Rejected = ImportResult['rejected'][number];

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; percent: number }
  | { phase: 'processing'; name: string }
  | { phase: 'done'; name: string; result: ImportResult }
  | { phase: 'failed'; name: string; message: string };

/** The content type the import endpoint expects for a file, or null when it is neither CSV nor .xlsx. */
function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  return null;
}

/**
 * POSTs the file's raw bytes with XMLHttpRequest (fetch reports no upload progress), with the same
 * credentials as the api wrapper: the session cookie and the bearer token.
 */
function uploadCatalog(
  file: File,
  contentType: string,
  createDepartments: boolean,
  onProgress: (percent: number) => void,
  onUploaded: () => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = buildUrl('/catalog/import', { createDepartments: String(createDepartments), source: file.name });
    xhr.open('POST', url);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(baseHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.upload.onload = () => onUploaded();
    xhr.onerror = () => reject(new Error('network'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data as ImportResult);
      else {
        const msg = (data as { error?: { message?: string } } | undefined)?.error?.message;
        reject(new Error(msg || `HTTP ${xhr.status}`));
      }
    };
    xhr.send(file);
  });
}

export default function CatalogPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [createDepartments, setCreateDepartments] = useState(false);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const busy = state.phase === 'uploading' || state.phase === 'processing';
  const lang = i18n.language?.startsWith('en') ? 'en' : 'zh-CN';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file may be chosen again after fixing it
    if (!file) return;
    const type = contentTypeOf(file);
    if (!type) {
      setState({ phase: 'failed', name: file.name, message: t('catalog.wrongType') });
      return;
    }
    setState({ phase: 'uploading', name: file.name, percent: 0 });
    try {
      const result = await uploadCatalog(
        file,
        type,
        createDepartments,
        (percent) => setState((s) => (s.phase === 'uploading' ? { ...s, percent } : s)),
        () => setState({ phase: 'processing', name: file.name }),
      );
      setState({ phase: 'done', name: file.name, result });
      // the catalogue changed: search results, item pages and departments are stale
      void qc.invalidateQueries({ predicate: (q) => ['items', 'item', 'departments'].includes(String(q.queryKey[0])) });
    } catch (err) {
      const message = err instanceof Error && err.message !== 'network' ? err.message : t('error.network');
      setState({ phase: 'failed', name: file.name, message });
    }
  };

  const columns: TableProps<Rejected>['columns'] = [
    { title: t('catalog.row'), dataIndex: 'row', key: 'row', width: 90 },
    {
      title: t('catalog.code'),
      key: 'code',
      width: 220,
      render: (_, r) => (r.code ? <span className="ow-mono">{r.code}</span> : '—'),
    },
    {
      title: t('catalog.reasons'),
      key: 'reasons',
      render: (_, r) => (
        <ul className="ow-reasons">
          {r.reasons.map((reason, i) => (
            <li key={i}>
              <Tag>{reason.rule}</Tag> {reason[lang] || reason['zh-CN']}
            </li>
          ))}
        </ul>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={2} className="ow-page-title">
        {t('catalog.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('catalog.subtitle')}</Typography.Paragraph>

      <Card title={t('catalog.importTitle')} className="ow-card">
        <Typography.Paragraph>{t('catalog.importHint')}</Typography.Paragraph>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Checkbox
            checked={createDepartments}
            disabled={busy}
            onChange={(e) => setCreateDepartments(e.target.checked)}
            data-testid="catalog-create-departments"
          >
            {t('catalog.createDepartments')}
          </Checkbox>
          <span className={`ow-file-button${busy ? ' is-disabled' : ''}`}>
            <Button type="primary" size="large" icon={<UploadOutlined />} loading={busy} tabIndex={-1} aria-hidden>
              {t('catalog.chooseFile')}
            </Button>
            <input
              ref={input}
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-label={t('catalog.chooseFile')}
              disabled={busy}
              onChange={(e) => void onFile(e)}
              data-testid="catalog-upload"
            />
          </span>
          {state.phase === 'uploading' && (
            <div role="status" aria-live="polite" data-testid="catalog-progress">
              <div>{t('catalog.uploading', { name: state.name })}</div>
              <Progress percent={state.percent} status="active" />
            </div>
          )}
          {state.phase === 'processing' && (
            <div role="status" aria-live="polite" data-testid="catalog-progress">
              <div>{t('catalog.processing')}</div>
              <Progress percent={100} status="active" showInfo={false} />
            </div>
          )}
          {state.phase === 'failed' && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="catalog-import-error"
              title={t('catalog.failed', { message: state.message })}
            />
          )}
        </Space>
      </Card>

      {state.phase === 'done' && (
        <Card
          title={t('catalog.resultTitle', { name: state.name })}
          className="ow-card"
          data-testid="catalog-import-result"
        >
          <Row gutter={[24, 16]} style={{ marginBottom: 16 }}>
            <Col xs={8} sm={6}>
              <Statistic title={t('catalog.total')} value={state.result.total} />
            </Col>
            <Col xs={8} sm={6}>
              <Statistic
                title={t('catalog.saved')}
                value={state.result.saved}
                styles={{ content: { color: '#1b5e20' } }}
              />
            </Col>
            <Col xs={8} sm={6}>
              <Statistic
                title={t('catalog.rejected')}
                value={state.result.rejected.length}
                styles={{ content: { color: state.result.rejected.length ? '#c62828' : undefined } }}
              />
            </Col>
          </Row>
          {state.result.rejected.length === 0 ? (
            <Alert type="success" showIcon title={t('catalog.allSaved', { count: state.result.total })} />
          ) : (
            <>
              <Alert
                type="warning"
                showIcon
                title={t('catalog.someRejected', { count: state.result.rejected.length })}
                style={{ marginBottom: 16 }}
              />
              <Typography.Title level={4}>{t('catalog.rejectedRows')}</Typography.Title>
              <Table<Rejected>
                rowKey={(r) => `${r.row}-${r.code ?? ''}`}
                columns={columns}
                dataSource={state.result.rejected}
                pagination={state.result.rejected.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                onRow={(r) =>
                  ({ 'data-testid': 'catalog-rejected-row', 'data-row': r.row }) as React.HTMLAttributes<HTMLElement>
                }
                scroll={{ x: 640 }}
              />
            </>
          )}
        </Card>
      )}

      <Card title={t('catalog.exportTitle')} className="ow-card">
        <Typography.Paragraph>{t('catalog.exportHint')}</Typography.Paragraph>
        <Button
          size="large"
          icon={<DownloadOutlined />}
          href={buildUrl('/catalog/export.xlsx')}
          download="事项目录与实施清单.xlsx"
          data-testid="catalog-export"
        >
          {t('catalog.exportButton')}
        </Button>
      </Card>

      {/* each item's review steps and exemption list (办理流程) */}
      <CatalogItemsCard />
    </>
  );
}
