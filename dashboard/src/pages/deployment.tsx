import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Select, Space, Statistic, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n.tsx';
import { useLiveReload } from '../live.tsx';
import { isBureau } from '../roles.ts';
import type { RateRow } from '../types.ts';
import { useApi } from '../use-api.ts';

/** Where enrolment tokens are created (the server's enrolment-token API). */
const TOKENS_PATH = '/api/enrollment-tokens';

/** Copy-paste install commands for each platform, with the server URL and token filled in. */
export function installCommands(serverUrl: string, token: string) {
  const args = `enroll --server ${serverUrl} --token ${token}`;
  return {
    linux: [
      `# x86-64（arm64 请用 zhengban-agent-linux-arm64）`,
      `chmod +x ./zhengban-agent-linux-x64`,
      `sudo ./zhengban-agent-linux-x64 ${args}`,
      `sudo ./zhengban-agent-linux-x64 install`,
    ].join('\n'),
    windows: [`.\\zhengban-agent-win-x64.exe ${args}`, `.\\zhengban-agent-win-x64.exe install`].join('\n'),
    source: [`npx zhengban-agent ${args}`, `npx zhengban-agent run`].join('\n'),
  };
}

function CommandBlock({ text, testId }: { text: string; testId: string }) {
  return (
    <Typography.Paragraph copyable={{ text }} style={{ margin: 0 }}>
      <pre data-testid={testId} style={{ background: '#1f1f1f', color: '#e8e8e8', padding: 12, borderRadius: 4, whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
        {text}
      </pre>
    </Typography.Paragraph>
  );
}

/** 部署: create an enrolment token, copy the install command per OS, watch computers enrol. */
export function DeploymentPage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const bureau = isBureau(user!.role);
  const units = useApi(() => api<{ rows: RateRow[] }>('GET', '/api/compliance/rates?by=unit'), []);
  useLiveReload(units.reload, (event) => event.type.startsWith('machine.'));
  const [pickedUnit, setPickedUnit] = useState<string | undefined>(undefined);
  const orgId = bureau ? pickedUnit : user!.org.id;
  const [token, setToken] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const create = async (values: { label: string; days?: number; maxUses?: number }) => {
    if (!orgId) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = { orgId, label: values.label, expiresInHours: values.days ? values.days * 24 : null, maxUses: values.maxUses ?? null };
      const created = await api<{ tokenText: string }>('POST', TOKENS_PATH, body);
      setToken(created.tokenText);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === 'route.not-found' ? t('deploy.unavailable') : caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  const serverUrl = window.location.origin;
  const commands = token ? installCommands(serverUrl, token) : undefined;
  const enrolled = (units.data?.rows ?? []).filter((r) => !orgId || r.key === orgId).reduce((n, r) => n + r.machines, 0);
  return (
    <Row gutter={[16, 16]} data-testid="deployment-page">
      <Col span={9}>
        <Card title={t('deploy.create')} size="small">
          <Form layout="vertical" onFinish={create} initialValues={{ label: `${user!.org.name} ${new Date().toLocaleDateString('zh-CN')}`, days: 30 }}>
            {bureau && (
              <Form.Item label={t('ledger.pickUnit')} required>
                <Select value={pickedUnit} onChange={setPickedUnit} options={(units.data?.rows ?? []).map((r) => ({ value: r.key, label: r.label }))} />
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
            <Button type="primary" htmlType="submit" icon={<KeyOutlined />} loading={busy} disabled={!orgId} block>
              {t('deploy.create')}
            </Button>
          </Form>
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
        </Card>
        <Card title={t('deploy.progress')} size="small" style={{ marginTop: 16 }}>
          <Statistic title={t('deploy.enrolled')} value={enrolled} data-testid="enrolled-count" />
        </Card>
      </Col>
      <Col span={15}>
        <Card title={t('deploy.commands')} size="small">
          {!commands ? (
            <Empty description={t('deploy.noToken')} />
          ) : (
            <>
              <Alert type="warning" showIcon title={t('deploy.shownOnce')} style={{ marginBottom: 12 }} />
              <Typography.Paragraph>
                {t('deploy.token')}：<Typography.Text code copyable data-testid="enrolment-token">{token}</Typography.Text>
              </Typography.Paragraph>
              <Tabs
                items={[
                  { key: 'linux', label: t('deploy.linux'), children: <CommandBlock text={commands.linux} testId="command-linux" /> },
                  { key: 'windows', label: t('deploy.windows'), children: <CommandBlock text={commands.windows} testId="command-windows" /> },
                  { key: 'source', label: t('deploy.source'), children: <CommandBlock text={commands.source} testId="command-source" /> },
                ]}
              />
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}
