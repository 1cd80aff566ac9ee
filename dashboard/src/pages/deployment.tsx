import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { canWrite, isBureau } from '../roles.ts';
import { useApi } from '../use-api.ts';
import { DownloadsCard } from './deployment/downloads-card.tsx';
import { installCommands, type AgentDownload } from './deployment/install-commands.ts';
import { ProgressCard } from './deployment/progress-card.tsx';
import { TokensCard } from './deployment/tokens-card.tsx';

/** Where enrolment tokens are created (the server's enrolment-token API). */
const TOKENS_PATH = '/api/enrollment-tokens';

function CommandBlock({ text, testId }: { text: string; testId: string }) {
  return (
    <Typography.Paragraph copyable={{ text }} style={{ margin: 0 }} data-testid={`${testId}-block`}>
      <pre data-testid={testId} style={{ background: '#1f1f1f', color: '#e8e8e8', padding: 12, borderRadius: 4, whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0, fontSize: 12 }}>
        {text}
      </pre>
    </Typography.Paragraph>
  );
}

/**
 * 部署: create an enrolment token, copy the install command per OS (download from this server,
 * SHA-256 check, enrol, install), download the agent, and watch enrolment against the unit's
 * computer count.
 */
export function DeploymentPage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const bureau = isBureau(user!.role);
  const downloads = useApi(() => api<{ buildCommand: string; downloads: AgentDownload[] }>('GET', '/agent/downloads'), []);
  const [pickedUnit, setPickedUnit] = useState<string | undefined>(undefined);
  const orgId = bureau ? pickedUnit : user!.org.id;
  const [token, setToken] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const create = async (values: { label: string; days?: number; maxUses?: number }) => {
    if (!orgId) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = { orgId, label: values.label, expiresInHours: values.days ? values.days * 24 : null, maxUses: values.maxUses ?? null };
      const answer = await api<{ tokenText: string }>('POST', TOKENS_PATH, body);
      setToken(answer.tokenText);
      setCreated((n) => n + 1);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const commands = token ? installCommands(window.location.origin, token, downloads.data?.downloads) : undefined;
  return (
    <Row gutter={[16, 16]} data-testid="deployment-page">
      <Col span={9}>
        <Card title={t('deploy.create')} size="small">
          <Form layout="vertical" onFinish={create} initialValues={{ label: `${user!.org.name} ${new Date().toLocaleDateString('zh-CN')}`, days: 30 }}>
            {bureau && (
              <Form.Item label={t('ledger.pickUnit')} required>
                <UnitPicker value={pickedUnit} onChange={(id) => { setPickedUnit(id); setToken(undefined); }} width={300} />
              </Form.Item>
            )}
            <Form.Item name="label" label={t('deploy.label')} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Space>
              <Form.Item name="days" label={t('deploy.expiresDays')}>
                <InputNumber min={1} max={365} />
              </Form.Item>
              <Form.Item name="maxUses" label={t('deploy.maxUses')}>
                <InputNumber min={1} />
              </Form.Item>
            </Space>
            <Button type="primary" htmlType="submit" icon={<KeyOutlined />} loading={busy} disabled={!orgId} block data-testid="create-token">
              {orgId ? t('deploy.create') : t('dep.pickUnit')}
            </Button>
          </Form>
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
        </Card>
        <ProgressCard orgId={orgId} canEdit={canWrite(user!.role)} />
        <TokensCard orgId={orgId} refreshKey={created} />
      </Col>
      <Col span={15}>
        <Card title={t('deploy.commands')} size="small">
          {!commands ? (
            <Empty description={t('deploy.noToken')} />
          ) : (
            <>
              <Alert type="warning" showIcon title={t('deploy.shownOnce')} style={{ marginBottom: 12 }} />
              <Typography.Paragraph>
                {t('deploy.token')}：
                <Typography.Text code copyable data-testid="enrolment-token">
                  {token}
                </Typography.Text>
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary">{t('dep.commandsHint')}</Typography.Paragraph>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('dep.platformsHint')}
              </Typography.Paragraph>
              <Tabs
                items={[
                  { key: 'linux', label: 'Linux x64', children: <CommandBlock text={commands.linux} testId="command-linux" /> },
                  { key: 'linux-arm', label: 'Linux arm64', children: <CommandBlock text={commands.linuxArm} testId="command-linux-arm64" /> },
                  { key: 'windows', label: 'Windows', children: <CommandBlock text={commands.windows} testId="command-windows" /> },
                  { key: 'source', label: t('deploy.source'), children: <CommandBlock text={commands.source} testId="command-source" /> },
                ]}
              />
            </>
          )}
        </Card>
        <DownloadsCard downloads={downloads.data?.downloads} buildCommand={downloads.data?.buildCommand ?? 'npm run build:agent'} error={downloads.error ? errorText(downloads.error, t) : undefined} />
      </Col>
    </Row>
  );
}
