import { useState } from 'react';
import { Button, Card, Empty, Space, Tag, Typography, App as AntApp } from 'antd';
import { DownloadOutlined, EyeOutlined, FilePdfOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import './case.css';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { downloadFile, errorMessage } from '../api';
import { fmtTime } from '../format';
import type { ApplicationDocument } from '../types';

/**
 * The notices and decisions issued on an application (sealed PDFs), newest last: open (the PDF
 * in a new tab — a same-origin GET that carries the HttpOnly session cookie), download (fetched
 * with the bearer token as well, saved as `{number}.pdf`), and the public verification page.
 */
export function DocumentsCard({ documents }: { documents: ApplicationDocument[] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (d: ApplicationDocument) => {
    setBusy(d.number);
    try {
      await downloadFile(d.url, `${d.number}.pdf`);
    } catch (e) {
      message.error(t('documents.downloadFailed', { message: errorMessage(e) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      title={
        <Space>
          <FilePdfOutlined aria-hidden style={{ color: '#c62828' }} />
          {t('documents.title')}
        </Space>
      }
      className="ow-card"
      data-testid="documents"
    >
      {documents.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.empty')} />
      ) : (
        <ul className="ow-doc-list">
          {documents.map((d) => (
            <li key={d.number} className="ow-doc" data-testid="document" data-number={d.number} data-kind={d.kind}>
              <div className="ow-doc-main">
                <Space wrap size={[6, 2]}>
                  <FilePdfOutlined aria-hidden style={{ color: d.revoked ? '#999' : '#c62828' }} />
                  <Typography.Text strong delete={d.revoked} data-testid="document-title">
                    {d.title}
                  </Typography.Text>
                  {d.revoked && (
                    <Tag color="red" data-testid="document-revoked">
                      {t('documents.revoked')}
                    </Tag>
                  )}
                </Space>
                <div className="ow-doc-meta">
                  <span className="ow-mono">{d.number}</span> · {t('documents.issuedAt', { time: fmtTime(d.issuedAt) })}
                </div>
              </div>
              <Space className="ow-doc-actions" size={4} wrap>
                <Button
                  type="link"
                  size="small"
                  href={d.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  icon={<EyeOutlined aria-hidden />}
                  data-testid="document-open"
                  aria-label={`${t('documents.open')} ${d.title} ${d.number}`}
                >
                  {t('documents.open')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  icon={<DownloadOutlined aria-hidden />}
                  loading={busy === d.number}
                  onClick={() => void download(d)}
                  data-testid="document-download"
                  aria-label={`${t('documents.download')} ${d.title} ${d.number}`}
                >
                  {t('documents.download')}
                </Button>
                <Link to={`/verify/${encodeURIComponent(d.number)}`} target="_blank" data-testid="document-verify" className="ow-doc-verify">
                  <SafetyCertificateOutlined aria-hidden /> {t('documents.verify')}
                </Link>
              </Space>
            </li>
          ))}
        </ul>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 14 }}>
        {t('documents.hint')}
      </Typography.Paragraph>
    </Card>
  );
}
