import { Alert, Button, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { errorText } from '../../errors.ts';
import { useI18n } from '../../i18n.tsx';
import { nameOf } from '../../labels.ts';
import { useApi } from '../../use-api.ts';
import type { OrgKind, OrgView, Sector } from './admin-types.ts';
import { childKinds, ORG_KIND_NAMES } from './org-names.ts';

/** What the drawer does: create a child of `parent`, or edit `org`. */
export type OrgFormMode = { kind: 'create'; parent: OrgView } | { kind: 'edit'; org: OrgView };

/** Fields a unit admin may change on its own unit (server: UNIT_ADMIN_FIELDS). */
const CONTACT_FIELDS = ['head', 'liaison', 'phone', 'expectedMachines'];

/**
 * Creates or edits a bureau, zone or unit with all its fields. `contactsOnly`: a unit admin, who
 * may change its unit's contacts and computer count only (the register fields are the bureau's).
 */
export function OrgForm({ mode, contactsOnly, onClose }: { mode: OrgFormMode | undefined; contactsOnly: boolean; onClose: (saved: OrgView | undefined) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const sectors = useApi(() => api<{ sectors: Sector[] }>('GET', '/api/sectors'), []);
  const kind: OrgKind | undefined = Form.useWatch('kind', form) ?? (mode?.kind === 'edit' ? mode.org.kind : undefined);

  useEffect(() => {
    setError(undefined);
    form.resetFields();
    if (mode?.kind === 'edit') form.setFieldsValue(mode.org);
    if (mode?.kind === 'create') form.setFieldsValue({ kind: childKinds(mode.parent.kind)[0] });
  }, [mode, form]);

  const submit = async (values: Record<string, unknown>) => {
    if (!mode) return;
    // Blank text fields are "none"; the server stores null.
    const fields = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' || value === undefined ? null : value]));
    setBusy(true);
    setError(undefined);
    try {
      const answer =
        mode.kind === 'create'
          ? await api<{ org: OrgView }>('POST', '/api/orgs', { ...fields, parentId: mode.parent.id })
          : await api<{ org: OrgView }>('PATCH', `/api/orgs/${mode.org.id}`, contactsOnly ? Object.fromEntries(CONTACT_FIELDS.map((f) => [f, fields[f]])) : fields);
      onClose(answer.org);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const locked = contactsOnly;
  const title = mode?.kind === 'create' ? t('adm.org.createUnder', { name: mode.parent.name }) : t('adm.org.edit', { name: mode?.org.name ?? '' });
  return (
    <Drawer
      title={title}
      open={Boolean(mode)}
      onClose={() => onClose(undefined)}
      size={520}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={() => onClose(undefined)}>{t('adm.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="org-save">
            {t('adm.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="org-form-error" />}
      <Form form={form} layout="vertical" onFinish={submit}>
        {mode?.kind === 'create' && (
          <Form.Item name="kind" label={t('adm.org.kind')} rules={[{ required: true }]}>
            <Select options={childKinds(mode.parent.kind).map((k) => ({ value: k, label: nameOf(ORG_KIND_NAMES, k, lang) }))} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('adm.org.name')} rules={[{ required: true, whitespace: true, message: t('adm.org.nameRequired') }]}>
          <Input maxLength={200} disabled={locked} />
        </Form.Item>
        <Form.Item name="creditCode" label={t('adm.org.creditCode')} extra={t('adm.org.creditCodeHint')}>
          <Input maxLength={18} disabled={locked} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        {kind === 'unit' && (
          <Form.Item name="sector" label={t('adm.org.sector')}>
            <Select
              allowClear
              disabled={locked}
              options={(sectors.data?.sectors ?? []).map((s) => ({ value: s.name, label: s.deadlineYear ? t('adm.org.sectorDeadline', { name: s.name, year: s.deadlineYear }) : s.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="region" label={t('adm.org.region')}>
          <Input maxLength={128} disabled={locked} />
        </Form.Item>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item name="head" label={t('adm.org.head')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="liaison" label={t('adm.org.liaison')}>
            <Input maxLength={64} />
          </Form.Item>
        </Space>
        <Form.Item name="phone" label={t('adm.org.phone')} extra={t('adm.org.phoneHint')}>
          <Input maxLength={64} />
        </Form.Item>
        {kind === 'unit' && (
          <Form.Item name="expectedMachines" label={t('adm.org.expected')} extra={t('adm.org.expectedHint')}>
            <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
