import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n.tsx';
import type { AgentDownload } from './install-commands.ts';

const PLATFORM_NAMES: Record<string, string> = { 'win-x64': 'Windows x64', 'linux-x64': 'Linux x64', 'linux-arm64': 'Linux arm64' };

function megabytes(bytes: number | null): string {
  return bytes === null ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** 客户端下载: the agent executables this server offers, with SHA-256; what to run when they are not built. */
export function DownloadsCard({ downloads, buildCommand, error }: { downloads: AgentDownload[] | undefined; buildCommand: string; error: string | undefined }) {
  const { t } = useI18n();
  const missing = (downloads ?? []).filter((d) => !d.built);
  const noneBuilt = downloads !== undefined && missing.length === downloads.length;
  return (
    <Card title={t('dep.downloads')} size="small" style={{ marginTop: 16 }} data-testid="agent-downloads">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {noneBuilt ? (
        <Alert
          type="warning"
          showIcon
          title={t('dep.notBuiltTitle')}
          description={
            <>
              {t('dep.notBuiltHint')}
              <Typography.Paragraph copyable={{ text: buildCommand }} style={{ margin: '8px 0 0' }}>
                <Typography.Text code data-testid="build-command">
                  {buildCommand}
                </Typography.Text>
              </Typography.Paragraph>
            </>
          }
          data-testid="downloads-not-built"
        />
      ) : (
        <>
          {missing.length > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={
                <>
                  {t('dep.partlyBuilt', { platforms: missing.map((d) => PLATFORM_NAMES[d.platform]).join('、') })} <Typography.Text code copyable>{buildCommand}</Typography.Text>
                </>
              }
            />
          )}
          <Table<AgentDownload>
            size="small"
            rowKey="platform"
            pagination={false}
            dataSource={downloads ?? []}
            loading={downloads === undefined && !error}
            columns={[
              { title: t('dep.platform'), dataIndex: 'platform', width: 110, render: (p: string) => PLATFORM_NAMES[p] ?? p },
              { title: t('dep.size'), dataIndex: 'size', width: 90, render: (n: number | null) => megabytes(n) },
              {
                title: t('dep.sha256'),
                dataIndex: 'sha256',
                render: (sha: string | null, d) =>
                  d.built && sha ? (
                    <Typography.Text copyable={{ text: sha }} style={{ fontFamily: 'monospace', fontSize: 11, wordBreak: 'break-all' }} data-testid={`sha256-${d.platform}`}>
                      {sha}
                    </Typography.Text>
                  ) : (
                    <Tag>{t('dep.notBuilt')}</Tag>
                  ),
              },
              {
                title: '',
                width: 90,
                render: (_, d) => (
                  <Button size="small" icon={<DownloadOutlined />} href={d.path} disabled={!d.built} download={d.file}>
                    {t('dep.download')}
                  </Button>
                ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
