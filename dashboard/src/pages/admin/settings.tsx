import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { errorText } from '../../errors.ts';
import { useI18n } from '../../i18n.tsx';
import { useApi } from '../../use-api.ts';
import type { ComplianceSettings, OrgKind } from './admin-types.ts';
import { OrgSelect } from './org-select.tsx';

/**
 * 设置: the approved KMS hosts of a unit (or of a bureau, for everything under it: activation
 * through any other KMS host is a finding) and the alert webhook of a bureau (bureau admins).
 */
export function SettingsPage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const bureauAdmin = user!.role === 'bureau-admin';
  const [org, setOrg] = useState<{ id: string; kind: OrgKind | undefined }>({ id: user!.org.id, kind: (user!.org.kind as OrgKind | null) ?? undefined });
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const settings = useApi(() => api<{ settings: ComplianceSettings }>('GET', `/api/compliance/settings/${org.id}`), [org.id]);
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ approvedKmsHosts: settings.data.settings.approvedKmsHosts, webhookUrl: settings.data.settings.webhookUrl ?? '' });
  }, [settings.data, form]);
  // The webhook belongs to bureaus and only bureau admins set it (the server refuses anyone else).
  const webhookEditable = bureauAdmin && org.kind !== 'unit';

  const save = async (values: { approvedKmsHosts: string[]; webhookUrl?: string }) => {
    setBusy(true);
    try {
      const body = { approvedKmsHosts: values.approvedKmsHosts ?? [], ...(webhookEditable ? { webhookUrl: values.webhookUrl?.trim() || null } : {}) };
      await api('PUT', `/api/compliance/settings/${org.id}`, body);
      message.success(t('adm.settings.saved'));
      settings.reload();
    } catch (error) {
      message.error(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('menu.adminSettings')} data-testid="settings-page" style={{ maxWidth: 860 }}>
      {bureauAdmin && (
        <Space style={{ marginBottom: 16 }}>
          <Typography.Text>{t('adm.settings.org')}</Typography.Text>
          <OrgSelect value={org.id} allowClear={false} width={320} onChange={(id, picked) => id && setOrg({ id, kind: picked?.kind })} testId="settings-org" />
        </Space>
      )}
      {settings.error && <Alert type="error" showIcon title={errorText(settings.error, t)} style={{ marginBottom: 12 }} />}
      {!settings.data && !settings.error ? (
        <Empty description={t('common.loading')} />
      ) : (
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="approvedKmsHosts" label={t('adm.settings.kms')} extra={t('adm.settings.kmsHint')}>
            <Select mode="tags" tokenSeparators={[',', ' ', '，']} placeholder={t('adm.settings.kmsPlaceholder')} open={false} suffixIcon={null} data-testid="kms-hosts" />
          </Form.Item>
          {org.kind !== 'unit' && (
            <Form.Item
              name="webhookUrl"
              label={t('adm.settings.webhook')}
              extra={webhookEditable ? t('adm.settings.webhookHint') : t('adm.settings.webhookBureauOnly')}
              rules={[{ type: 'url', message: t('adm.settings.webhookInvalid') }]}
            >
              <Input placeholder="https://oa.example.gov.cn/hooks/zhengban" disabled={!webhookEditable} maxLength={1000} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="settings-save">
            {t('adm.save')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
